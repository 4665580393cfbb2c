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
pub const SUBJECT_MAX: usize = 140;

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
