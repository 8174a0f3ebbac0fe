//! Minimal, allocation-free glob matching for tool names (`admin_*`, `fs.?rite*`).
//!
//! Only `*` (any run, including empty) and `?` (one character) are supported:
//! tool names are short identifiers, and a full glob dialect would invite
//! surprises (`[`/`{` are rejected at configure time instead of silently meaning
//! something). Matching is ASCII case-insensitive because agents disagree on the
//! capitalisation of the same tool.

/// Why a pattern was refused.
pub fn validate(pattern: &str) -> Result<(), String> {
    if pattern.trim().is_empty() {
        return Err("a tool name or pattern must not be empty".into());
    }
    if pattern.chars().any(char::is_whitespace) {
        return Err(format!(
            "{pattern:?} contains whitespace; tool names never do"
        ));
    }
    if let Some(c) = pattern.chars().find(|c| matches!(c, '[' | ']' | '{' | '}')) {
        return Err(format!(
            "{pattern:?}: `{c}` is not supported; use `*` and `?` only"
        ));
    }
    Ok(())
}

/// Whether `pattern` contains a wildcard (otherwise it is an exact name).
pub fn is_pattern(pattern: &str) -> bool {
    pattern.contains(['*', '?'])
}

/// Whether `name` matches `pattern` (ASCII case-insensitive).
pub fn matches(pattern: &str, name: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let n: Vec<char> = name.chars().collect();
    // Classic iterative wildcard match with single backtrack point: O(p * n) worst case.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi].eq_ignore_ascii_case(&n[ni])) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ni));
            pi += 1;
        } else if let Some((sp, sn)) = star {
            pi = sp + 1;
            ni = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_questions() {
        assert!(matches("admin_*", "admin_reset"));
        assert!(matches("admin_*", "ADMIN_"));
        assert!(!matches("admin_*", "super_admin_reset"));
        assert!(matches("*admin*", "super_admin_reset"));
        assert!(matches("fs.?rite*", "fs.writeFile"));
        assert!(matches("search_docs", "Search_Docs"));
        assert!(!matches("search_docs", "search_docs2"));
        assert!(matches("*", ""));
        assert!(matches("a*b*c", "aXXbYYc"));
        assert!(!matches("a*b*c", "aXXbYY"));
    }

    #[test]
    fn rejects_unsupported_syntax() {
        assert!(validate("").is_err());
        assert!(validate("a b").is_err());
        assert!(validate("tool_[ab]").is_err());
        assert!(validate("tool_{a,b}").is_err());
        assert!(validate("admin_*").is_ok());
        assert!(is_pattern("a*") && !is_pattern("a"));
    }
}
