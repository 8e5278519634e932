//! Front-matter dates: `2024-03-15` (midnight in the site's time zone), or with a time,
//! with or without an offset.

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// Parses a front-matter date; the error says what is wrong in words.
pub fn parse(text: &str, tz: &TimeZone) -> Result<Zoned, String> {
    let text = text.trim();
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.to_zoned(tz.clone()));
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return dt.to_zoned(tz.clone()).map_err(|e| format!("is not a time that exists here: {e}"));
    }
    if let Ok(d) = text.parse::<Date>() {
        return d.to_zoned(tz.clone()).map_err(|e| format!("is not a date that exists here: {e}"));
    }
    Err(explain(text))
}

fn explain(text: &str) -> String {
    let digits: Vec<i64> = text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    if let [y, m, d, ..] = digits[..] {
        if let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) {
            if Date::new(y, m, d).is_err() && text.len() >= 8 {
                return "is not a real calendar date".into();
            }
        }
    }
    "is not a date gazette can read".into()
}

/// RFC 3339 without the `[zone]` suffix jiff adds (feeds and sitemaps need the plain form).
pub fn rfc3339(z: &Zoned) -> String {
    z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// RFC 822 / 2822, as RSS 2.0 wants it: `Fri, 15 Mar 2024 00:00:00 +0800`.
pub fn rfc822(z: &Zoned) -> String {
    z.strftime("%a, %d %b %Y %H:%M:%S %z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> TimeZone {
        TimeZone::get("Asia/Shanghai").unwrap()
    }

    #[test]
    fn forms_editors_write() {
        assert_eq!(rfc3339(&parse("2024-03-15", &tz()).unwrap()), "2024-03-15T00:00:00+08:00");
        assert_eq!(rfc3339(&parse("2024-03-15T09:30:00+08:00", &tz()).unwrap()), "2024-03-15T09:30:00+08:00");
        assert_eq!(rfc3339(&parse("2024-03-15T01:30:00Z", &tz()).unwrap()), "2024-03-15T09:30:00+08:00");
        assert_eq!(rfc3339(&parse("2020-09-10 07:22", &tz()).unwrap()), "2020-09-10T07:22:00+08:00");
        assert_eq!(rfc822(&parse("2024-03-15", &tz()).unwrap()), "Fri, 15 Mar 2024 00:00:00 +0800");
    }

    #[test]
    fn impossible_and_unreadable_dates() {
        assert_eq!(parse("2024-02-30", &tz()).unwrap_err(), "is not a real calendar date");
        assert_eq!(parse("2024年3月15日", &tz()).unwrap_err(), "is not a date gazette can read");
    }
}
