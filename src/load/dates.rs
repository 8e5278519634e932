//! Front-matter dates: `2024-03-15` (midnight in the site's time zone), or with a time,
//! with or without an offset, in the years [`MIN_YEAR`]–[`MAX_YEAR`].

use std::fmt;

use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};

/// The earliest year an article may be dated. Policy news and the documents it quotes are
/// from the 20th century on; an earlier year is a typo (`0024`, `1024`).
pub const MIN_YEAR: i16 = 1900;
/// The latest year. Far beyond any real date, yet it catches `20244`, `9999` and the like,
/// keeps every archive URL a four-digit year, and stays clear of the date library's limits.
pub const MAX_YEAR: i16 = 2999;

/// Why a date was refused; `Display` is the end of a sentence that begins with the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not in a form gazette reads.
    Unreadable,
    /// Readable, but not in the calendar (`2024-02-30`).
    NotInCalendar,
    /// A local time skipped by the site's time zone; the library's explanation.
    Nonexistent(String),
    /// Outside [`MIN_YEAR`]–[`MAX_YEAR`] as written, or in the site's time zone.
    OutOfRange { year: i64, in_site_zone: bool },
}

impl fmt::Display for DateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateError::Unreadable => write!(f, "is not a date gazette can read"),
            DateError::NotInCalendar => write!(f, "is not a real calendar date"),
            DateError::Nonexistent(why) => write!(f, "is not a time that exists here: {why}"),
            DateError::OutOfRange { year, in_site_zone: false } => {
                write!(f, "is out of range: year {year} is not in {MIN_YEAR}–{MAX_YEAR}")
            }
            DateError::OutOfRange { year, in_site_zone: true } => {
                write!(f, "is out of range: in the site's time zone it is in year {year}, not in {MIN_YEAR}–{MAX_YEAR}")
            }
        }
    }
}

/// Parses a front-matter date; the error says what is wrong in words.
pub fn parse(text: &str, tz: &TimeZone) -> Result<Zoned, DateError> {
    let text = text.trim();
    // Checked before the date library sees the text: near its limits (year 9999 with an
    // offset) it answers with an overflow message an editor cannot act on.
    if let Some(year) = written_year(text).filter(|y| !year_in_range(*y)) {
        return Err(DateError::OutOfRange { year, in_site_zone: false });
    }
    let zoned = read(text, tz)?;
    let year = i64::from(zoned.year());
    if !year_in_range(year) {
        // 1900-01-01T00:00:00+14:00 is still 1899 in Shanghai, and its URL would say so.
        return Err(DateError::OutOfRange { year, in_site_zone: true });
    }
    Ok(zoned)
}

fn read(text: &str, tz: &TimeZone) -> Result<Zoned, DateError> {
    if let Ok(ts) = text.parse::<Timestamp>() {
        return Ok(ts.to_zoned(tz.clone()));
    }
    if let Ok(dt) = text.parse::<DateTime>() {
        return dt.to_zoned(tz.clone()).map_err(|e| DateError::Nonexistent(e.to_string()));
    }
    if let Ok(d) = text.parse::<Date>() {
        return d.to_zoned(tz.clone()).map_err(|e| DateError::Nonexistent(e.to_string()));
    }
    Err(explain(text))
}

fn year_in_range(year: i64) -> bool {
    (i64::from(MIN_YEAR)..=i64::from(MAX_YEAR)).contains(&year)
}

/// The year a date starts with (`2024-03-15…`, `-0001-01-01`, `+010000-01-01`): digits,
/// with an optional sign, followed by `-`. Too many digits count as far out of range.
fn written_year(text: &str) -> Option<i64> {
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'-') => (-1, &text[1..]),
        Some(b'+') => (1, &text[1..]),
        _ => (1, text),
    };
    let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits == 0 || !rest[digits..].starts_with('-') {
        return None;
    }
    Some(rest[..digits].parse::<i64>().map_or(i64::MAX, |y| sign * y))
}

fn explain(text: &str) -> DateError {
    let digits: Vec<i64> = text.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).filter_map(|s| s.parse().ok()).collect();
    if let [y, m, d, ..] = digits[..] {
        if let (Ok(y), Ok(m), Ok(d)) = (i16::try_from(y), i8::try_from(m), i8::try_from(d)) {
            if Date::new(y, m, d).is_err() && text.len() >= 8 {
                return DateError::NotInCalendar;
            }
        }
    }
    DateError::Unreadable
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
        assert_eq!(parse("2024-02-30", &tz()).unwrap_err().to_string(), "is not a real calendar date");
        assert_eq!(parse("2024年3月15日", &tz()).unwrap_err().to_string(), "is not a date gazette can read");
    }

    #[test]
    fn years_outside_the_range_are_refused_in_our_words() {
        let year = |text: &str| match parse(text, &tz()) {
            Err(DateError::OutOfRange { year, .. }) => Some(year),
            Ok(_) => None,
            Err(other) => panic!("{text}: {other}"),
        };
        for (text, y) in [
            ("0000-01-01", 0),
            ("0001-01-01", 1),
            ("1899-12-31", 1899),
            ("3000-01-01", 3000),
            ("9999-12-31T23:59:59+14:00", 9999),
            ("-0001-01-01", -1),
            ("+010000-01-01", 10000),
            ("99999999999999999999-01-01", i64::MAX),
            // still 1899 in Shanghai
            ("1900-01-01T00:00:00+14:00", 1899),
        ] {
            assert_eq!(year(text), Some(y), "{text}");
        }
        let message = parse("9999-12-31T23:59:59+14:00", &tz()).unwrap_err().to_string();
        assert_eq!(message, "is out of range: year 9999 is not in 1900–2999");
        for edge in ["1900-01-01", "2999-12-31", "2999-12-31T23:59:59+08:00", "1900-01-01T00:00:00+08:00"] {
            assert_eq!(year(edge), None, "{edge}");
        }
    }
}
