"""The official OpenAI and Anthropic Python SDKs against `warden serve`:
a normal answer, a streamed answer, and a blocked request raising the SDK's
own 403 error type."""

import anthropic
import openai
import pytest


@pytest.fixture
def oai(gateway):
    return openai.OpenAI(base_url=f"{gateway}/v1", api_key="sk-anything", max_retries=0)


@pytest.fixture
def claude(gateway):
    return anthropic.Anthropic(base_url=gateway, api_key="sk-anything", max_retries=0)


def test_openai_answer(oai):
    r = oai.chat.completions.create(model="mock", messages=[{"role": "user", "content": "hello there"}])
    assert r.choices[0].message.content == "You said: hello there"
    assert r.choices[0].finish_reason == "stop"
    assert r.usage.total_tokens > 0


def test_openai_stream(oai):
    stream = oai.chat.completions.create(
        model="mock",
        messages=[{"role": "user", "content": "please stream a reasonably long answer back to me, thanks"}],
        stream=True,
        stream_options={"include_usage": True},
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert text == "You said: please stream a reasonably long answer back to me, thanks"
    assert any(c.usage and c.usage.completion_tokens > 0 for c in chunks)


def test_openai_blocked(oai):
    with pytest.raises(openai.PermissionDeniedError) as e:
        oai.chat.completions.create(model="mock", messages=[{"role": "user", "content": "should I buy crypto?"}])
    assert e.value.status_code == 403
    assert e.value.code == "policy_violation"
    assert "topics" in str(e.value)
    assert "should I buy" not in str(e.value)


def test_openai_unknown_model(oai):
    with pytest.raises(openai.NotFoundError):
        oai.chat.completions.create(model="gpt-nope", messages=[{"role": "user", "content": "hi"}])


def test_openai_models(oai):
    assert [m.id for m in oai.models.list()] == ["mock"]


def test_anthropic_answer(claude):
    m = claude.messages.create(
        model="mock", max_tokens=100, system="be brief", messages=[{"role": "user", "content": "hello there"}]
    )
    assert m.content[0].text == "You said: hello there"
    assert m.stop_reason == "end_turn"
    assert m.usage.output_tokens > 0


def test_anthropic_stream(claude):
    with claude.messages.stream(
        model="mock",
        max_tokens=100,
        messages=[{"role": "user", "content": "please stream a reasonably long answer back to me, thanks"}],
    ) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text == "You said: please stream a reasonably long answer back to me, thanks"
    assert final.content[0].text == text


def test_anthropic_blocked(claude):
    with pytest.raises(anthropic.PermissionDeniedError) as e:
        claude.messages.create(model="mock", max_tokens=10, messages=[{"role": "user", "content": "crypto tips?"}])
    assert e.value.status_code == 403
    assert e.value.body["error"]["type"] == "policy_violation"
    assert e.value.body["error"]["policy"] == "topics"
