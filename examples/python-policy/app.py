"""A Warden policy written in Python: a per-tenant keyword deny-list.

It implements the same `warden:policy/policy` world as the Rust policies,
which shows the contract is language-neutral. Built by
`scripts/build-python-policy.sh` with componentize-py (`--stub-wasi`, so the
component imports nothing but the world's own interfaces).
"""

import json

from componentize_py_types import Err
from wit_world import exports
from wit_world.imports import log, types

_keywords: list[str] = []


class Guard(exports.Guard):
    def metadata(self) -> types.PolicyInfo:
        return types.PolicyInfo(
            name="py-keywords",
            version="0.1.0",
            description="denies messages containing a configured keyword (Python)",
            phases=[types.Phase.REQUEST],
            effects=types.Effects(0),
        )

    def configure(self, config_json: str) -> None:
        global _keywords
        try:
            config = json.loads(config_json or "{}")
        except ValueError as e:
            raise Err(types.ConfigError(key=None, message=f"config is not JSON: {e}"))
        keywords = config.get("keywords", ["password"])
        if not isinstance(keywords, list) or not all(isinstance(k, str) and k for k in keywords):
            raise Err(types.ConfigError(key="keywords", message="must be a list of non-empty strings"))
        _keywords = [k.lower() for k in keywords]

    def evaluate(self, input: types.Input) -> types.Verdict:
        for index, message in enumerate(input.messages):
            text = message.content.lower()
            for keyword in _keywords:
                at = text.find(keyword)
                if at < 0:
                    continue
                # Byte offsets, as the contract requires (Python indexes code points).
                start = len(message.content[:at].encode("utf-8"))
                end = start + len(message.content[at : at + len(keyword)].encode("utf-8"))
                log.log(log.Level.INFO, "keyword matched", [("keyword", keyword)])
                finding = types.Finding(
                    rule="py-keywords.match",
                    category="keyword",
                    severity=types.Severity.MEDIUM,
                    span=types.Span(target=types.Target_Message(index), start=start, end=end),
                    detail=f"keyword {keyword!r}",
                )
                return types.Verdict(
                    action=types.Action_Deny(types.Deny(reason=f"mentions {keyword!r}", code="keyword")),
                    findings=[finding],
                    score=None,
                    state=None,
                )
        return types.Verdict(action=types.Action_Allow(), findings=[], score=None, state=None)
