//! Built-in classification of tool names into risk levels.
//!
//! Agents name the same tool `send_email`, `sendEmail`, `gmail.send` or
//! `Send-Email`, so names are first split into lower-case words and the rules
//! look at words, never substrings: `monkey_facts` has no `key`, `skip_admin_check`
//! has `admin`. Rules run from critical down; the first that fires decides, so a
//! name is never rated lower than its most dangerous word combination.
//!
//! A name whose first verb is a read verb (`get_payment_status`, `list_posts`)
//! and that contains no unambiguous write verb is treated as read-only: nouns such
//! as `payment` or `post` then describe what is read, not what is done. Only the
//! administrative, credential-reading and bulk-export rules still apply to it.

use crate::level::Level;

/// Split a tool name (or JSON key) into lower-case words.
///
/// Separators are any non-alphanumeric character; inside a run, words break at
/// `aB`, `a1`, and before the last capital of an acronym (`HTTPPost` → `http`,
/// `post`). A digit followed by capitals stays together so `disable2FA` keeps `2fa`.
pub fn words(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = name.chars().collect();
    let mut cur = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(&prev) = i.checked_sub(1).and_then(|j| chars.get(j)) {
            let next = chars.get(i + 1).copied();
            let boundary = (prev.is_lowercase() && c.is_uppercase())
                || (prev.is_alphabetic() && c.is_numeric())
                || (c.is_uppercase()
                    && (prev.is_uppercase() || prev.is_numeric())
                    && next.is_some_and(char::is_lowercase));
            if boundary && !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn any(words: &[String], set: &[&str]) -> bool {
    words.iter().any(|w| set.contains(&w.as_str()))
}

fn first(words: &[String], set: &[&str]) -> Option<usize> {
    words.iter().position(|w| set.contains(&w.as_str()))
}

const READ_VERBS: &[&str] = &[
    "get",
    "list",
    "read",
    "search",
    "fetch",
    "find",
    "lookup",
    "look",
    "show",
    "describe",
    "view",
    "check",
    "count",
    "download",
    "retrieve",
    "browse",
    "inspect",
    "stat",
    "preview",
    "summarize",
    "load",
    "cat",
    "ls",
    "grep",
    "explain",
    "validate",
    "verify",
    "estimate",
    "calculate",
    "compute",
    "translate",
    "watch",
    "poll",
    "head",
    "peek",
    "resolve",
    "scan",
];
/// Verbs that always mean the call changes something.
const WRITE_VERBS: &[&str] = &[
    "write",
    "create",
    "modify",
    "insert",
    "upsert",
    "add",
    "edit",
    "rename",
    "move",
    "mv",
    "save",
    "upload",
    "append",
    "replace",
    "change",
    "reset",
    "delete",
    "remove",
    "rm",
    "rmdir",
    "unlink",
    "erase",
    "destroy",
    "purge",
    "wipe",
    "shred",
    "drop",
    "truncate",
    "alter",
    "send",
    "reply",
    "forward",
    "publish",
    "broadcast",
    "tweet",
    "execute",
    "exec",
    "eval",
    "run",
    "pay",
    "refund",
    "withdraw",
    "purchase",
    "buy",
    "grant",
    "revoke",
    "rotate",
    "regenerate",
    "disable",
    "enable",
    "deactivate",
    "bypass",
    "deploy",
    "install",
    "uninstall",
    "commit",
    "push",
    "merge",
    "restart",
    "stop",
    "start",
    "kill",
    "cancel",
    "approve",
    "reject",
    "archive",
    "restore",
    "assign",
    "submit",
    "apply",
    "import",
    "trigger",
    "invoke",
    "mkdir",
    "touch",
    "revert",
    "rollback",
    "migrate",
    "terminate",
    "shutdown",
    "reboot",
    "store",
    "register",
    "invite",
    "suspend",
    "ban",
    "lock",
    "unlock",
    "provision",
    "schedule",
    "book",
    "comment",
    "share",
    "chmod",
    "chown",
    "impersonate",
    "elevate",
    "escalate",
    "exfiltrate",
    "copy",
    "cp",
    "sync",
    "clear",
    "close",
    "order",
];
/// Verbs that double as nouns (`get_post`, `list_updates`): they only count as
/// actions when the name is not read-only.
const AMBIGUOUS_VERBS: &[&str] = &[
    "post", "update", "set", "put", "patch", "transfer", "charge", "export", "dump", "backup",
];

const ADMIN: &[&str] = &[
    "admin",
    "admins",
    "administrator",
    "administrators",
    "sudo",
    "sudoers",
    "superuser",
];
const PERM_VERBS: &[&str] = &[
    "grant",
    "revoke",
    "elevate",
    "escalate",
    "impersonate",
    "chmod",
    "chown",
];
const PERM_NOUNS: &[&str] = &[
    "permission",
    "permissions",
    "role",
    "roles",
    "privilege",
    "privileges",
    "acl",
    "acls",
    "scope",
    "scopes",
];
const CHANGE_VERBS: &[&str] = &[
    "change",
    "rotate",
    "reset",
    "update",
    "set",
    "regenerate",
    "revoke",
    "create",
    "delete",
    "remove",
    "disable",
    "assign",
    "add",
    "modify",
    "edit",
    "issue",
    "grant",
    "put",
];
const CRED_NOUNS: &[&str] = &[
    "credential",
    "credentials",
    "password",
    "passwords",
    "passwd",
    "secret",
    "secrets",
    "apikey",
    "apikeys",
    "token",
    "tokens",
    "passphrase",
    "certificate",
    "cert",
];
/// `token` also counts text (`max_tokens`, `count_tokens`) and pages through
/// results (`next_page_token`): beside one of these words it is not a credential.
const NOT_CREDENTIAL_TOKEN: &[&str] = &[
    "max",
    "min",
    "count",
    "counts",
    "counter",
    "limit",
    "limits",
    "num",
    "number",
    "total",
    "usage",
    "input",
    "output",
    "prompt",
    "completion",
    "context",
    "budget",
    "length",
    "estimate",
    "page",
    "next",
    "continuation",
    "cursor",
];

/// Whether `w` names a credential (see [`NOT_CREDENTIAL_TOKEN`]).
fn cred_noun(w: &[String]) -> bool {
    w.iter().any(|x| {
        CRED_NOUNS.contains(&x.as_str())
            && !(matches!(x.as_str(), "token" | "tokens") && any(w, NOT_CREDENTIAL_TOKEN))
    })
}

const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "ssh",
    "access",
    "private",
    "signing",
    "encryption",
    "secret",
    "kms",
    "gpg",
    "pgp",
];
const SECURITY_OFF: &[&str] = &[
    "disable",
    "deactivate",
    "bypass",
    "skip",
    "off",
    "stop",
    "remove",
    "delete",
    "clear",
    "kill",
    "suspend",
    "pause",
    "unset",
    "turnoff",
    "weaken",
];
const SECURITY_NOUNS: &[&str] = &[
    "mfa",
    "2fa",
    "tfa",
    "otp",
    "totp",
    "firewall",
    "audit",
    "auditing",
    "auditlog",
    "auditlogs",
    "logging",
    "antivirus",
    "encryption",
    "security",
    "sso",
    "waf",
    "edr",
    "monitoring",
    "alerting",
    "captcha",
    "selinux",
    "apparmor",
    "guardrail",
    "guardrails",
];
const EXPORT_VERBS: &[&str] = &["export", "dump", "download", "exfiltrate"];
const BULK: &[&str] = &[
    "all",
    "bulk",
    "everything",
    "full",
    "entire",
    "mass",
    "whole",
];
const DATASETS: &[&str] = &[
    "database",
    "databases",
    "db",
    "dbs",
    "tables",
    "schema",
    "users",
    "customers",
    "contacts",
    "records",
    "accounts",
    "employees",
    "patients",
];
const FILE_NOUNS: &[&str] = &[
    "file",
    "files",
    "dir",
    "dirs",
    "directory",
    "directories",
    "folder",
    "folders",
    "path",
    "paths",
    "object",
    "objects",
    "blob",
    "blobs",
    "bucket",
    "buckets",
    "disk",
    "volume",
    "repo",
    "repository",
    "branch",
    "document",
    "documents",
    "doc",
    "docs",
    "attachment",
    "attachments",
    "snapshot",
    "backup",
    "fs",
    "s3",
    "gcs",
    "drive",
    "dropbox",
];
const DESTROY_VERBS: &[&str] = &[
    "rm", "rmdir", "unlink", "shred", "wipe", "purge", "destroy", "erase",
];
const DB_NOUNS: &[&str] = &[
    "sql",
    "db",
    "database",
    "table",
    "tables",
    "row",
    "rows",
    "record",
    "records",
    "collection",
    "postgres",
    "postgresql",
    "mysql",
    "mongo",
    "mongodb",
    "sqlite",
    "pg",
    "redis",
    "bigquery",
    "snowflake",
    "dynamodb",
    "statement",
];
const DB_VERBS: &[&str] = &[
    "drop", "truncate", "insert", "update", "upsert", "alter", "delete", "write", "merge",
    "execute", "exec", "run", "query", "modify", "remove", "create", "put",
];
const SEND_VERBS: &[&str] = &[
    "send",
    "reply",
    "forward",
    "publish",
    "broadcast",
    "tweet",
    "retweet",
    "post",
    "dm",
];
const HTTP_NOUNS: &[&str] = &[
    "http", "https", "url", "api", "endpoint", "rest", "request", "curl", "webhook", "webhooks",
];
const HTTP_WRITE: &[&str] = &["post", "put", "patch", "delete"];
const MONEY: &[&str] = &[
    "pay",
    "payment",
    "payments",
    "payout",
    "payouts",
    "transfer",
    "refund",
    "refunds",
    "charge",
    "charges",
    "withdraw",
    "withdrawal",
    "purchase",
    "buy",
    "wire",
    "remit",
    "checkout",
];
const NON_MONEY_TRANSFER: &[&str] = &[
    "file",
    "files",
    "data",
    "ownership",
    "call",
    "chat",
    "conversation",
    "domain",
];
const USER_VERBS: &[&str] = &[
    "create",
    "delete",
    "update",
    "remove",
    "add",
    "modify",
    "edit",
    "disable",
    "deactivate",
    "suspend",
    "ban",
    "invite",
    "set",
    "change",
    "reset",
    "register",
    "provision",
    "deprovision",
    "offboard",
    "onboard",
    "lock",
    "unlock",
    "enable",
    "impersonate",
];
const USER_NOUNS: &[&str] = &[
    "user",
    "users",
    "account",
    "accounts",
    "member",
    "members",
    "employee",
    "employees",
    "identity",
];
const EXEC: &[&str] = &[
    "shell",
    "bash",
    "sh",
    "zsh",
    "powershell",
    "cmd",
    "terminal",
    "exec",
    "execute",
    "eval",
    "subprocess",
    "spawn",
];
const RUN_TARGETS: &[&str] = &[
    "code",
    "script",
    "python",
    "command",
    "commands",
    "program",
    "js",
    "javascript",
    "node",
    "ruby",
];
const STOP_SYSTEMS: &[&str] = &["shutdown", "terminate", "reboot", "poweroff", "halt"];
const PROD: &[&str] = &["prod", "production", "live"];

/// Classify `name` by the built-in rules: the level and a short reason.
pub fn classify(name: &str) -> (Level, &'static str) {
    let w = words(name);
    let squashed: String = w.concat();
    let first_verb = w.iter().position(|x| {
        READ_VERBS.contains(&x.as_str())
            || WRITE_VERBS.contains(&x.as_str())
            || AMBIGUOUS_VERBS.contains(&x.as_str())
    });
    let read_only =
        first_verb.is_some_and(|i| READ_VERBS.contains(&w[i].as_str())) && !any(&w, WRITE_VERBS);
    let has_key = |w: &[String]| {
        any(w, &["key", "keys"])
            && (any(w, KEY_QUALIFIERS) || any(w, &["rotate", "regenerate", "revoke"]))
    };

    // Critical: rules that hold even for read-only names.
    if any(&w, ADMIN) {
        return (Level::Critical, "administrative tool");
    }
    let bulk_export = (any(&w, EXPORT_VERBS) && (any(&w, BULK) || any(&w, DATASETS)))
        || (any(&w, BULK) && any(&w, &["delete", "remove", "drop", "purge", "wipe"]))
        || squashed.contains("mysqldump")
        || squashed.contains("pgdump")
        || any(&w, &["exfiltrate"]);
    if bulk_export {
        return (Level::Critical, "bulk data export or bulk destruction");
    }
    if read_only {
        if cred_noun(&w) || has_key(&w) {
            return (Level::High, "reads credentials or secrets");
        }
        return (Level::Low, "read-only tool");
    }
    if any(&w, PERM_VERBS) || (any(&w, CHANGE_VERBS) && any(&w, PERM_NOUNS)) {
        return (Level::Critical, "changes permissions or roles");
    }
    if any(&w, CHANGE_VERBS) && (cred_noun(&w) || has_key(&w)) {
        return (Level::Critical, "changes credentials");
    }
    let turn_off = first(&w, &["turn"]).is_some_and(|i| w.get(i + 1).is_some_and(|x| x == "off"));
    if (any(&w, SECURITY_OFF) || turn_off) && any(&w, SECURITY_NOUNS) {
        return (Level::Critical, "disables a security control");
    }
    if any(&w, &["drop"]) && any(&w, &["database", "databases", "db", "schema"]) {
        return (Level::Critical, "drops a database");
    }

    // High.
    if any(&w, DESTROY_VERBS) || (any(&w, &["delete", "remove", "del"]) && any(&w, FILE_NOUNS)) {
        return (Level::High, "deletes files or storage");
    }
    if any(&w, &["sql"]) || (any(&w, DB_VERBS) && any(&w, DB_NOUNS)) {
        return (Level::High, "writes to a database or runs SQL");
    }
    if any(&w, EXEC) || (any(&w, &["run"]) && any(&w, RUN_TARGETS)) {
        return (Level::High, "executes code or commands");
    }
    if any(&w, &["webhook", "webhooks"]) || (any(&w, HTTP_WRITE) && any(&w, HTTP_NOUNS)) {
        return (Level::High, "posts to an external API");
    }
    if any(&w, SEND_VERBS) {
        return (Level::High, "sends email or messages, or publishes content");
    }
    let transfer_only = any(&w, &["transfer"]) && any(&w, NON_MONEY_TRANSFER);
    if any(&w, MONEY) && !transfer_only {
        return (Level::High, "moves money");
    }
    if any(&w, USER_VERBS) && any(&w, USER_NOUNS) {
        return (Level::High, "changes user accounts");
    }
    if any(&w, STOP_SYSTEMS) {
        return (Level::High, "stops or terminates systems");
    }
    if any(&w, PROD) && (any(&w, WRITE_VERBS) || any(&w, AMBIGUOUS_VERBS)) {
        return (Level::High, "changes production");
    }

    // Medium: anything whose name says it changes state.
    if any(&w, WRITE_VERBS) || any(&w, AMBIGUOUS_VERBS) {
        return (Level::Medium, "changes state");
    }
    (Level::Low, "no state-changing verb in the name")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn level(name: &str) -> Level {
        classify(name).0
    }

    #[test]
    fn splits_every_naming_style() {
        assert_eq!(words("fs.deleteFile"), ["fs", "delete", "file"]);
        assert_eq!(words("gmail_send"), ["gmail", "send"]);
        assert_eq!(words("Send-Email"), ["send", "email"]);
        assert_eq!(words("HTTPPost"), ["http", "post"]);
        assert_eq!(words("disable2FA"), ["disable", "2fa"]);
        assert_eq!(words("oauth2Token"), ["oauth", "2", "token"]);
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(words("monkey"), ["monkey"]);
        assert_eq!(words("__x__"), ["x"]);
        assert!(words("").is_empty());
    }

    #[test]
    fn token_counts_and_page_tokens_are_not_credentials() {
        for n in [
            "set_max_tokens",
            "count_tokens",
            "get_token_usage",
            "get_next_page_token",
            "estimate_prompt_tokens",
        ] {
            assert!(
                !classify(n).1.contains("credential"),
                "{n}: {:?}",
                classify(n)
            );
            assert!(level(n) <= Level::Medium, "{n}: {:?}", classify(n));
        }
        assert_eq!(level("rotate_api_token"), Level::Critical);
        assert_eq!(level("get_access_token"), Level::High);
        assert_eq!(level("read_tokens"), Level::High);
    }

    #[test]
    fn critical_names() {
        for n in [
            "admin_panel",
            "sudo",
            "run_as_sudo",
            "grant_permission",
            "revokeRole",
            "assign_role",
            "change_credentials",
            "rotate_api_keys",
            "reset_password",
            "disable_mfa",
            "disable2FA",
            "firewall.disable",
            "turn_off_firewall",
            "export_all",
            "bulk_export",
            "dump_database",
            "exportUsers",
            "pg_dump",
            "drop_database",
            "getAdminSettings",
        ] {
            assert_eq!(level(n), Level::Critical, "{n}");
        }
    }

    #[test]
    fn high_names() {
        for n in [
            "delete_file",
            "fs.deleteFile",
            "rm",
            "remove_directory",
            "drop_table",
            "truncate_table",
            "execute_sql",
            "sql_query",
            "db.insert",
            "update_rows",
            "send_email",
            "gmail_send",
            "sendMessage",
            "http_post",
            "post_to_url",
            "call_webhook",
            "create_payment",
            "transfer_funds",
            "refund",
            "stripe.charge",
            "create_user",
            "deleteUser",
            "update_user",
            "run_shell",
            "bash",
            "run_python",
            "get_api_key",
            "slack.postMessage",
            "terminate_instance",
        ] {
            assert_eq!(level(n), Level::High, "{n}");
        }
    }

    #[test]
    fn medium_and_low_names() {
        for n in [
            "write_file",
            "fs.writeFile",
            "update_ticket",
            "create_event",
            "set_reminder",
            "modify_draft",
            "delete_comment",
            "transfer_file",
        ] {
            assert_eq!(level(n), Level::Medium, "{n}");
        }
        for n in [
            "search_docs",
            "get_weather",
            "fs.readFile",
            "list_posts",
            "get_post",
            "get_payment_status",
            "calculator",
            "monkey_facts",
            "keyword_lookup",
            "read_email",
            "get_updates",
        ] {
            assert_eq!(level(n), Level::Low, "{n}");
        }
    }
}
