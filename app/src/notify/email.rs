//! The e-mail the portal sends, written in the recipient's language: a plain-text part and
//! an HTML part that reads right to left in Arabic. Pure: no I/O, unit-tested.
use super::pages::notification_text;
use super::Notification;
use crate::i18n::*;

/// A rendered message, ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Longest subject line; a plan title can be long, and mail clients cut it anyway.
const SUBJECT_MAX: usize = 140;

/// The message telling `name` about a notification; `base_url` is the portal's address.
pub fn notification_email(locale: Locale, name: &str, n: &Notification, base_url: &str) -> Email {
    let what = notification_text(locale, n);
    let link = format!("{base_url}{}", n.link());
    let quoted = n
        .message
        .as_deref()
        .map(|m| (td_string!(locale, email.message_label).to_string(), m.to_string()));
    Letter {
        locale,
        subject: subject(locale, &what),
        greeting: td_string!(locale, email.greeting, name = name).to_string(),
        paragraphs: vec![what],
        quoted,
        action: (td_string!(locale, email.open).to_string(), link),
        footer: td_string!(locale, email.footer_notifications, url = format!("{base_url}/profile")).to_string(),
    }
    .render()
}

/// The password-reset message with its single-use link.
pub fn reset_email(locale: Locale, name: &str, link: &str) -> Email {
    Letter {
        locale,
        subject: subject(locale, td_string!(locale, email.reset_subject)),
        greeting: td_string!(locale, email.greeting, name = name).to_string(),
        paragraphs: vec![
            td_string!(locale, email.reset_intro).to_string(),
            td_string!(locale, email.reset_expiry).to_string(),
        ],
        quoted: None,
        action: (td_string!(locale, email.reset_action).to_string(), link.to_string()),
        footer: td_string!(locale, email.reset_ignore).to_string(),
    }
    .render()
}

fn subject(locale: Locale, what: &str) -> String {
    let full = format!("{} – {what}", td_string!(locale, app_name));
    let single_line: String = full.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if single_line.chars().count() <= SUBJECT_MAX {
        single_line
    } else {
        let cut: String = single_line.chars().take(SUBJECT_MAX - 1).collect();
        format!("{cut}…")
    }
}

/// The parts every message has, in order.
struct Letter {
    locale: Locale,
    subject: String,
    greeting: String,
    paragraphs: Vec<String>,
    /// A message from a person, shown quoted under its label.
    quoted: Option<(String, String)>,
    /// The button: its words and where it leads.
    action: (String, String),
    footer: String,
}

impl Letter {
    fn render(self) -> Email {
        let rtl = self.locale == Locale::ar;
        let (lang, dir, align) = if rtl {
            ("ar", "rtl", "right")
        } else {
            ("en", "ltr", "left")
        };
        let mut text = format!("{}\n\n", self.greeting);
        for p in &self.paragraphs {
            text.push_str(p);
            text.push_str("\n\n");
        }
        if let Some((label, message)) = &self.quoted {
            text.push_str(&format!("{label}\n"));
            for line in message.lines() {
                text.push_str(&format!("> {line}\n"));
            }
            text.push('\n');
        }
        text.push_str(&format!(
            "{}: {}\n\n-- \n{}\n",
            self.action.0, self.action.1, self.footer
        ));

        let mut html = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\" dir=\"{dir}\"><head><meta charset=\"utf-8\">\
             <meta name=\"viewport\" content=\"width=device-width\"><title>{}</title></head>\
             <body dir=\"{dir}\" style=\"direction:{dir};text-align:{align};font-family:Tahoma,Arial,sans-serif;\
             font-size:16px;line-height:1.6;color:#1f2933;background:#ffffff;margin:0;padding:16px\">\
             <p>{}</p>",
            escape(&self.subject),
            escape(&self.greeting)
        );
        for p in &self.paragraphs {
            html.push_str(&format!("<p>{}</p>", escape(p)));
        }
        if let Some((label, message)) = &self.quoted {
            html.push_str(&format!(
                "<p><strong>{}</strong></p><blockquote style=\"margin:0;padding:8px 12px;border-inline-start:4px solid #0f5e4d;\
                 background:#f3f7f5;white-space:pre-wrap\"><bdi>{}</bdi></blockquote>",
                escape(label),
                escape(message)
            ));
        }
        html.push_str(&format!(
            "<p style=\"margin:24px 0\"><a href=\"{}\" style=\"display:inline-block;padding:10px 18px;background:#0f5e4d;\
             color:#ffffff;text-decoration:none;border-radius:6px\">{}</a></p>\
             <p style=\"font-size:13px;color:#52606d\">{}</p></body></html>\n",
            escape(&self.action.1),
            escape(&self.action.0),
            escape(&self.footer)
        ));
        Email {
            subject: self.subject,
            text,
            html,
        }
    }
}

/// Escapes text for HTML element content and double-quoted attributes.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notify::Topic;
    use domain::plan::lifecycle::PlanAction;

    fn changes_requested(message: Option<&str>) -> Notification {
        Notification {
            id: 1,
            topic: Topic::PlanStep(PlanAction::RequestChanges),
            plan_id: Some(7),
            plan_title: Some("مخبز <العائلة>".into()),
            document_type: None,
            request_id: None,
            service_name: None,
            message: message.map(str::to_string),
            created_at: 0,
            read: false,
        }
    }

    #[test]
    fn arabic_mail_reads_right_to_left_and_links_to_the_plan() {
        let n = changes_requested(Some("أضيفوا عرض سعر للفرن"));
        let mail = notification_email(Locale::ar, "سلمى", &n, "https://riyada.example");
        assert!(mail.html.contains("lang=\"ar\" dir=\"rtl\""));
        assert!(mail.html.contains("direction:rtl"));
        assert!(mail.text.contains("سلمى"));
        assert!(mail.text.contains("> أضيفوا عرض سعر للفرن"));
        assert!(mail.text.contains("https://riyada.example/plans/7#case"));
        assert!(mail.html.contains("href=\"https://riyada.example/plans/7#case\""));
        assert!(mail.subject.starts_with("ريادة"));
        assert!(mail.subject.contains("مخبز <العائلة>"));
    }

    #[test]
    fn english_mail_reads_left_to_right() {
        let mail = notification_email(Locale::en, "Salma", &changes_requested(None), "http://x");
        assert!(mail.html.contains("lang=\"en\" dir=\"ltr\""));
        assert!(mail.subject.starts_with("Riyada"));
        assert!(mail.text.contains("asked for changes"));
        assert!(!mail.text.contains("> "), "no quoted message when there is none");
    }

    #[test]
    fn what_people_typed_cannot_become_markup() {
        let n = changes_requested(Some("<script>alert(1)</script> & \"quotes\""));
        let mail = notification_email(Locale::ar, "<b>x</b>", &n, "http://x");
        assert!(!mail.html.contains("<script>"));
        assert!(!mail.html.contains("<b>x</b>"));
        assert!(mail
            .html
            .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
        assert!(mail.html.contains("مخبز &lt;العائلة&gt;"));
    }

    #[test]
    fn long_titles_make_one_bounded_subject_line() {
        let mut n = changes_requested(None);
        n.plan_title = Some(format!("{}\r\nBcc: someone@example.com", "خطة ".repeat(80)));
        let mail = notification_email(Locale::ar, "سلمى", &n, "http://x");
        assert!(mail.subject.chars().count() <= SUBJECT_MAX);
        assert!(!mail.subject.contains('\n') && !mail.subject.contains('\r'));
        assert!(mail.subject.ends_with('…'));
    }

    #[test]
    fn the_reset_mail_carries_its_link_and_expiry() {
        let mail = reset_email(Locale::ar, "سلمى", "https://riyada.example/reset-password?token=abc");
        assert!(mail.text.contains("https://riyada.example/reset-password?token=abc"));
        assert!(mail.text.contains("٣٠"));
        assert!(mail.html.contains("dir=\"rtl\""));
        let en = reset_email(Locale::en, "Salma", "http://x/reset-password?token=abc");
        assert!(en.text.contains("30 minutes"));
    }
}
