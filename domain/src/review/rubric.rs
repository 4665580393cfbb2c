//! The review rubric: criteria with weights that add up to 100, each scored 0–5 by an
//! advisor, and the weighted total on a 0–100 scale. Totals are kept in hundredths of a
//! point as integers, so the queue sorts, the review screen shows and the tests check the
//! very same number. Advisors who abstain (a conflict of interest) count in no average.
use crate::validation::{bounded_text, Problem};
use crate::Bilingual;
use serde::{Deserialize, Serialize};

/// The highest score of one criterion.
pub const SCORE_MAX: u8 = 5;
/// What the weights of a rubric add up to.
pub const WEIGHTS_TOTAL: u32 = 100;
/// The most criteria a rubric may have.
pub const CRITERIA_MAX: usize = 12;
pub const CRITERION_NAME_MAX: u32 = 120;
/// An advisor's comment on one criterion, a recommendation's note or an abstention reason.
pub const NOTE_MAX: u32 = 2_000;
/// The shortest reason for abstaining: "conflict" is not a reason.
pub const ABSTAIN_REASON_MIN: u32 = 10;

/// One criterion of the rubric, as the Fund wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Criterion {
    pub name: Bilingual,
    pub weight: u32,
}

/// A rubric as it stood at one version. Scores name the version they were given on, so
/// editing the rubric (a new version) never changes a score already given.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rubric {
    pub version: i64,
    pub criteria: Vec<Criterion>,
}

/// Where a rubric the Fund is editing goes wrong; positions count criteria from 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum RubricProblem {
    NoCriteria,
    TooManyCriteria {
        max: u32,
    },
    /// The weights add up to `total`, not 100.
    WeightsTotal {
        total: u32,
    },
    Weight {
        position: u32,
        problem: Problem,
    },
    ArabicName {
        position: u32,
        problem: Problem,
    },
    EnglishName {
        position: u32,
        problem: Problem,
    },
    /// Two criteria have the same name: scores would be ambiguous.
    DuplicateName {
        position: u32,
    },
}

/// Checks and tidies a rubric the Fund submitted: names trimmed, every problem reported
/// at once so the form can show them all.
pub fn check_rubric(criteria: &[Criterion]) -> Result<Vec<Criterion>, Vec<RubricProblem>> {
    let mut problems = Vec::new();
    if criteria.is_empty() {
        problems.push(RubricProblem::NoCriteria);
    }
    if criteria.len() > CRITERIA_MAX {
        problems.push(RubricProblem::TooManyCriteria {
            max: CRITERIA_MAX as u32,
        });
    }
    let mut tidy = Vec::with_capacity(criteria.len());
    for (index, criterion) in criteria.iter().enumerate() {
        let position = index as u32;
        let ar = bounded_text(&criterion.name.ar, 2, CRITERION_NAME_MAX)
            .map_err(|problem| problems.push(RubricProblem::ArabicName { position, problem }))
            .unwrap_or_default();
        let en = bounded_text(&criterion.name.en, 2, CRITERION_NAME_MAX)
            .map_err(|problem| problems.push(RubricProblem::EnglishName { position, problem }))
            .unwrap_or_default();
        if !(1..=WEIGHTS_TOTAL).contains(&criterion.weight) {
            let problem = Problem::OutOfRange {
                min: 1,
                max: WEIGHTS_TOTAL as i64,
            };
            problems.push(RubricProblem::Weight { position, problem });
        }
        let repeated = tidy.iter().any(|earlier: &Criterion| {
            (!ar.is_empty() && earlier.name.ar == ar) || (!en.is_empty() && earlier.name.en.eq_ignore_ascii_case(&en))
        });
        if repeated {
            problems.push(RubricProblem::DuplicateName { position });
        }
        tidy.push(Criterion {
            name: Bilingual::new(ar, en),
            weight: criterion.weight,
        });
    }
    let total: u32 = criteria.iter().map(|c| c.weight.min(WEIGHTS_TOTAL)).sum();
    if !criteria.is_empty() && total != WEIGHTS_TOTAL {
        problems.push(RubricProblem::WeightsTotal { total });
    }
    if problems.is_empty() {
        Ok(tidy)
    } else {
        Err(problems)
    }
}

crate::keyed! {
    /// What an advisor recommends the manager decide.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Recommendation {
        Yes = "yes",
        Maybe = "maybe",
        No = "no",
    }
}

/// A weighted total on the 0–100 scale, in hundredths of a point (`0..=10_000`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct WeightedScore(u32);

impl WeightedScore {
    pub const MAX: WeightedScore = WeightedScore(10_000);

    /// A total read back from storage; `None` if it is out of range (a bad row).
    pub fn from_hundredths(hundredths: i64) -> Option<Self> {
        u32::try_from(hundredths)
            .ok()
            .filter(|h| *h <= Self::MAX.0)
            .map(WeightedScore)
    }

    pub fn hundredths(self) -> u32 {
        self.0
    }

    /// With one decimal, rounded half up: 7350 → "73.5", 7355 → "73.6", 10000 → "100.0".
    pub fn one_decimal(self) -> String {
        let tenths = (self.0 + 5) / 10;
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Why a set of scores does not fit the rubric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ScoreProblem {
    /// One score per criterion is needed; `expected` criteria, `given` scores.
    Count { expected: u32, given: u32 },
    /// The score at `position` is above 5.
    OutOfRange { position: u32 },
    /// The rubric's weights do not add up to 100 (a rubric that was never checked).
    Rubric,
}

/// The weighted total of one advisor's scores: each criterion's score out of 5 times its
/// weight. With weights adding up to 100, every total is a multiple of 0.2.
pub fn weighted_score(criteria: &[Criterion], scores: &[u8]) -> Result<WeightedScore, ScoreProblem> {
    if criteria.iter().map(|c| c.weight).sum::<u32>() != WEIGHTS_TOTAL {
        return Err(ScoreProblem::Rubric);
    }
    if criteria.len() != scores.len() {
        return Err(ScoreProblem::Count {
            expected: criteria.len() as u32,
            given: scores.len() as u32,
        });
    }
    if let Some(position) = scores.iter().position(|s| *s > SCORE_MAX) {
        return Err(ScoreProblem::OutOfRange {
            position: position as u32,
        });
    }
    // score/5 × weight points = score × weight × 20 hundredths.
    let hundredths = criteria
        .iter()
        .zip(scores)
        .map(|(c, s)| u32::from(*s) * c.weight * (100 / u32::from(SCORE_MAX)))
        .sum();
    Ok(WeightedScore(hundredths))
}

/// The mean of several totals, rounded half up to the hundredth; `None` for none.
pub fn average(scores: impl IntoIterator<Item = WeightedScore>) -> Option<WeightedScore> {
    let (sum, count) = scores
        .into_iter()
        .fold((0u64, 0u64), |(sum, n), s| (sum + u64::from(s.0), n + 1));
    (count > 0).then(|| WeightedScore(((2 * sum + count) / (2 * count)) as u32))
}

/// What an advisor sent from the score form, before it is checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerdictInput {
    /// One score per criterion, in the rubric's order; `None` where none was chosen.
    pub scores: Vec<Option<u8>>,
    pub comments: Vec<String>,
    pub recommendation: Option<Recommendation>,
    pub note: String,
    /// A conflict of interest: no scores, a reason instead.
    pub abstain: bool,
    pub reason: String,
}

/// A checked verdict, ready to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckedVerdict {
    Scored {
        scores: Vec<u8>,
        comments: Vec<String>,
        recommendation: Recommendation,
        note: String,
        total: WeightedScore,
    },
    Abstained {
        reason: String,
    },
}

/// Checks a verdict against the rubric it is given on: every criterion scored 0–5,
/// comments and note within their limits, a recommendation chosen; or, for an abstention,
/// a reason. Every problem is reported at once, by field.
pub fn check_verdict(
    criteria: &[Criterion],
    input: &VerdictInput,
) -> Result<CheckedVerdict, Vec<crate::validation::FieldError>> {
    use crate::validation::{Field, FieldError};
    let mut problems = Vec::new();
    if input.abstain {
        return match bounded_text(&input.reason, ABSTAIN_REASON_MIN, NOTE_MAX) {
            Ok(reason) => Ok(CheckedVerdict::Abstained { reason }),
            Err(problem) => Err(vec![FieldError::new(Field::AbstainReason, problem)]),
        };
    }
    let scores: Vec<u8> = (0..criteria.len())
        .filter_map(|i| match input.scores.get(i).copied().flatten() {
            Some(score) if score <= SCORE_MAX => Some(score),
            Some(_) => {
                problems.push(FieldError::new(
                    Field::Score,
                    Problem::OutOfRange {
                        min: 0,
                        max: SCORE_MAX.into(),
                    },
                ));
                None
            }
            None => {
                problems.push(FieldError::new(Field::Score, Problem::Required));
                None
            }
        })
        .collect();
    let mut comments = Vec::with_capacity(criteria.len());
    for i in 0..criteria.len() {
        let comment = input.comments.get(i).map(|c| c.trim().to_string()).unwrap_or_default();
        if comment.chars().count() > NOTE_MAX as usize {
            problems.push(FieldError::new(Field::Score, Problem::TooLong { max: NOTE_MAX }));
        }
        comments.push(comment);
    }
    let note = input.note.trim().to_string();
    if note.chars().count() > NOTE_MAX as usize {
        problems.push(FieldError::new(Field::Note, Problem::TooLong { max: NOTE_MAX }));
    }
    if input.recommendation.is_none() {
        problems.push(FieldError::new(Field::Recommendation, Problem::Required));
    }
    problems.dedup();
    match (problems.is_empty(), input.recommendation) {
        (true, Some(recommendation)) => {
            let total = weighted_score(criteria, &scores)
                .map_err(|_| vec![FieldError::new(Field::Rubric, Problem::UnknownChoice)])?;
            Ok(CheckedVerdict::Scored {
                scores,
                comments,
                recommendation,
                note,
                total,
            })
        }
        _ => Err(problems),
    }
}

/// One advisor's verdict on a revision.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Verdict {
    Scored {
        score: WeightedScore,
        recommendation: Recommendation,
    },
    /// A conflict of interest: no score, counted in no average.
    Abstained,
}

/// What the manager reads before deciding: the average of the advisors who scored and how
/// they recommended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelSummary {
    pub average: Option<WeightedScore>,
    pub yes: u32,
    pub maybe: u32,
    pub no: u32,
    pub abstained: u32,
}

pub fn summarise(verdicts: &[Verdict]) -> PanelSummary {
    let mut summary = PanelSummary {
        average: average(verdicts.iter().filter_map(|v| match v {
            Verdict::Scored { score, .. } => Some(*score),
            Verdict::Abstained => None,
        })),
        ..PanelSummary::default()
    };
    for verdict in verdicts {
        match verdict {
            Verdict::Scored {
                recommendation: Recommendation::Yes,
                ..
            } => summary.yes += 1,
            Verdict::Scored {
                recommendation: Recommendation::Maybe,
                ..
            } => summary.maybe += 1,
            Verdict::Scored {
                recommendation: Recommendation::No,
                ..
            } => summary.no += 1,
            Verdict::Abstained => summary.abstained += 1,
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn criterion(name: &str, weight: u32) -> Criterion {
        Criterion {
            name: Bilingual::new(format!("معيار {name}"), name),
            weight,
        }
    }

    /// The default rubric of docs/review.md.
    fn default_rubric() -> Vec<Criterion> {
        [
            ("idea", 20),
            ("market", 15),
            ("marketing", 10),
            ("operations", 10),
            ("financial", 25),
            ("jobs", 15),
            ("capacity", 5),
        ]
        .into_iter()
        .map(|(name, weight)| criterion(name, weight))
        .collect()
    }

    #[test]
    fn the_default_rubric_is_valid() {
        assert_eq!(check_rubric(&default_rubric()).map(|c| c.len()), Ok(7));
    }

    #[test]
    fn full_and_empty_marks_are_100_and_0() {
        let rubric = default_rubric();
        assert_eq!(weighted_score(&rubric, &[5; 7]), Ok(WeightedScore::MAX));
        assert_eq!(weighted_score(&rubric, &[0; 7]).map(WeightedScore::hundredths), Ok(0));
    }

    #[test]
    fn each_criterion_counts_by_its_weight() {
        let rubric = default_rubric();
        // 4/5×20 + 3/5×15 + 5/5×10 + 2/5×10 + 4/5×25 + 1/5×15 + 0/5×5
        // = 16 + 9 + 10 + 4 + 20 + 3 + 0 = 62
        let score = weighted_score(&rubric, &[4, 3, 5, 2, 4, 1, 0]).unwrap();
        assert_eq!(score.hundredths(), 6_200);
        assert_eq!(score.one_decimal(), "62.0");
        // Financial soundness (25) weighs five times the entrepreneur's capacity (5).
        let financial = weighted_score(&rubric, &[0, 0, 0, 0, 1, 0, 0]).unwrap();
        let capacity = weighted_score(&rubric, &[0, 0, 0, 0, 0, 0, 1]).unwrap();
        assert_eq!(financial.hundredths(), 5 * capacity.hundredths());
    }

    #[test]
    fn scores_must_fit_the_rubric() {
        let rubric = default_rubric();
        assert_eq!(
            weighted_score(&rubric, &[5; 6]),
            Err(ScoreProblem::Count { expected: 7, given: 6 })
        );
        assert_eq!(
            weighted_score(&rubric, &[5, 5, 6, 5, 5, 5, 5]),
            Err(ScoreProblem::OutOfRange { position: 2 })
        );
        let unbalanced = vec![criterion("a", 60), criterion("b", 60)];
        assert_eq!(weighted_score(&unbalanced, &[1, 1]), Err(ScoreProblem::Rubric));
    }

    #[test]
    fn averages_round_half_up_and_skip_abstentions() {
        let score = |h| WeightedScore::from_hundredths(h).unwrap();
        assert_eq!(average([score(6_200), score(7_000)]), Some(score(6_600)));
        assert_eq!(average([score(1), score(2)]), Some(score(2)));
        assert_eq!(average(std::iter::empty()), None);
        let summary = summarise(&[
            Verdict::Scored {
                score: score(8_000),
                recommendation: Recommendation::Yes,
            },
            Verdict::Abstained,
            Verdict::Scored {
                score: score(5_000),
                recommendation: Recommendation::Maybe,
            },
        ]);
        assert_eq!(
            summary,
            PanelSummary {
                average: Some(score(6_500)),
                yes: 1,
                maybe: 1,
                no: 0,
                abstained: 1
            }
        );
        assert_eq!(summarise(&[Verdict::Abstained]).average, None);
    }

    #[test]
    fn totals_show_with_one_decimal() {
        let shown = |h| WeightedScore::from_hundredths(h).unwrap().one_decimal();
        assert_eq!(shown(7_350), "73.5");
        assert_eq!(shown(7_355), "73.6");
        assert_eq!(shown(10_000), "100.0");
        assert_eq!(shown(0), "0.0");
        assert_eq!(WeightedScore::from_hundredths(10_001), None);
        assert_eq!(WeightedScore::from_hundredths(-1), None);
    }

    #[test]
    fn a_verdict_needs_every_score_and_a_recommendation() {
        use crate::validation::{Field, FieldError};
        let rubric = default_rubric();
        let mut input = VerdictInput {
            scores: vec![Some(4), Some(3), Some(5), Some(2), Some(4), Some(1), Some(0)],
            comments: vec!["واضحة".into()],
            recommendation: Some(Recommendation::Maybe),
            ..VerdictInput::default()
        };
        match check_verdict(&rubric, &input) {
            Ok(CheckedVerdict::Scored { total, comments, .. }) => {
                assert_eq!(total.hundredths(), 6_200);
                assert_eq!(comments.len(), 7, "one comment slot per criterion");
            }
            other => panic!("{other:?}"),
        }
        input.scores[6] = None;
        input.recommendation = None;
        assert_eq!(
            check_verdict(&rubric, &input),
            Err(vec![
                FieldError::new(Field::Score, Problem::Required),
                FieldError::new(Field::Recommendation, Problem::Required)
            ])
        );
        input.scores[6] = Some(9);
        input.recommendation = Some(Recommendation::No);
        assert_eq!(
            check_verdict(&rubric, &input),
            Err(vec![FieldError::new(
                Field::Score,
                Problem::OutOfRange { min: 0, max: 5 }
            )])
        );
    }

    #[test]
    fn an_abstention_needs_a_reason_and_nothing_else() {
        use crate::validation::{Field, FieldError};
        let rubric = default_rubric();
        let abstain = |reason: &str| VerdictInput {
            abstain: true,
            reason: reason.into(),
            ..VerdictInput::default()
        };
        assert_eq!(
            check_verdict(&rubric, &abstain("صاحبة المشروع قريبتي")),
            Ok(CheckedVerdict::Abstained {
                reason: "صاحبة المشروع قريبتي".into()
            })
        );
        assert_eq!(
            check_verdict(&rubric, &abstain("قريبة")),
            Err(vec![FieldError::new(
                Field::AbstainReason,
                Problem::TooShort { min: 10 }
            )])
        );
    }

    #[test]
    fn a_bad_rubric_reports_every_problem() {
        let problems =
            check_rubric(&[criterion("alpha", 50), criterion("ALPHA", 0), criterion("gamma", 40)]).unwrap_err();
        assert!(problems.contains(&RubricProblem::DuplicateName { position: 1 }));
        assert!(problems.contains(&RubricProblem::Weight {
            position: 1,
            problem: Problem::OutOfRange { min: 1, max: 100 }
        }));
        assert!(problems.contains(&RubricProblem::WeightsTotal { total: 90 }));
        assert_eq!(check_rubric(&[]), Err(vec![RubricProblem::NoCriteria]));
        let blank = Criterion {
            name: Bilingual::new("  ", "ok name"),
            weight: 100,
        };
        assert_eq!(
            check_rubric(&[blank]),
            Err(vec![RubricProblem::ArabicName {
                position: 0,
                problem: Problem::Required
            }])
        );
        let many: Vec<_> = (0..13).map(|i| criterion(&format!("c{i}"), 1)).collect();
        assert!(check_rubric(&many)
            .unwrap_err()
            .contains(&RubricProblem::TooManyCriteria { max: 12 }));
    }
}
