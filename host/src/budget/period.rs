//! Budget periods in UTC: which day or calendar month a timestamp falls in,
//! without a date-time dependency (Howard Hinnant's `days_from_civil` algorithms).

use serde::Deserialize;

const DAY_MS: i64 = 86_400_000;

/// How often a budget starts afresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    /// Resets at 00:00 UTC.
    Daily,
    /// Resets at 00:00 UTC on the first of the month.
    Monthly,
    /// Never resets (`period = "none"`).
    #[serde(rename = "none")]
    AllTime,
}

impl Period {
    /// Identifies the period containing `at_ms`: equal keys, same period.
    pub fn key(self, at_ms: i64) -> i64 {
        match self {
            Period::Daily => at_ms.div_euclid(DAY_MS),
            Period::Monthly => {
                let (y, m) = year_month(at_ms.div_euclid(DAY_MS));
                y * 12 + i64::from(m) - 1
            }
            Period::AllTime => 0,
        }
    }

    /// Start of the period containing `at_ms`, in ms since the epoch (`i64::MIN` for all-time).
    pub fn start_ms(self, at_ms: i64) -> i64 {
        match self {
            Period::Daily => at_ms.div_euclid(DAY_MS) * DAY_MS,
            Period::Monthly => {
                let (y, m) = year_month(at_ms.div_euclid(DAY_MS));
                days_from_civil(y, m, 1) * DAY_MS
            }
            Period::AllTime => i64::MIN,
        }
    }

    /// Name as written in the config and in errors.
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Daily => "daily",
            Period::Monthly => "monthly",
            Period::AllTime => "all-time",
        }
    }
}

/// (year, month 1..=12) of a day number (days since 1970-01-01).
fn year_month(days: i64) -> (i64, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, u32::try_from(m).unwrap_or(1))
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2024-02-29T13:00:00Z, a leap day.
    const LEAP_DAY: i64 = 1_709_211_600_000;

    #[test]
    fn civil_round_trip_and_known_dates() {
        assert_eq!(year_month(0), (1970, 1));
        assert_eq!(days_from_civil(2024, 2, 29), 19_782);
        assert_eq!(year_month(19_782), (2024, 2));
        assert_eq!(year_month(19_783), (2024, 3));
        for d in (-800_000..800_000).step_by(997) {
            let (y, m) = year_month(d);
            assert!(
                days_from_civil(y, m, 1) <= d && d < days_from_civil(y, m, 1) + 31,
                "{d}"
            );
        }
    }

    #[test]
    fn daily_and_monthly_starts() {
        assert_eq!(
            Period::Daily.start_ms(LEAP_DAY),
            1_709_164_800_000,
            "2024-02-29T00:00Z"
        );
        assert_eq!(
            Period::Monthly.start_ms(LEAP_DAY),
            1_706_745_600_000,
            "2024-02-01T00:00Z"
        );
        assert_eq!(Period::AllTime.start_ms(LEAP_DAY), i64::MIN);
    }

    #[test]
    fn keys_change_exactly_at_boundaries() {
        let march = 1_709_251_200_000; // 2024-03-01T00:00Z
        assert_eq!(
            Period::Monthly.key(march - 1),
            Period::Monthly.key(LEAP_DAY)
        );
        assert_ne!(Period::Monthly.key(march), Period::Monthly.key(march - 1));
        assert_ne!(Period::Daily.key(march), Period::Daily.key(march - 1));
        assert_eq!(Period::AllTime.key(0), Period::AllTime.key(march));
    }

    #[test]
    fn deserializes_config_names() {
        #[derive(Deserialize)]
        struct W {
            p: Period,
        }
        let w: W = toml::from_str("p = \"none\"").unwrap();
        assert_eq!(w.p, Period::AllTime);
        assert!(toml::from_str::<W>("p = \"weekly\"").is_err());
    }
}
