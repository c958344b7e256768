"""``interviewer doctor``: check a model endpoint and say what to fix.

For the interviewer's and the grader's model: is the server reachable, is the model listed,
how long until the first streamed token (seconds), and which structured-output modes work
(``json_schema``, ``json_object``, prompt-and-parse): each is ``works``, ``rejected`` (the
server refused it) or ``ignored`` (prose came back).
"""

from __future__ import annotations

import json
import time
from typing import Callable

from interviewer.config import Settings
from interviewer.llm import clean_output, explain
from interviewer.models import ModelConfigError, ModelSpec, parse

_PROBE_SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}
_PROBE_MESSAGES = [{"role": "system", "content": 'Reply with the JSON object {"ok": true} and nothing else.'},
                   {"role": "user", "content": "Are you there?"}]


async def check_modes(client, spec: ModelSpec) -> dict[str, str]:
    """Try each structured-output mode with a one-field schema: works, rejected or ignored."""
    import openai

    formats = {
        "json_schema": {"type": "json_schema", "json_schema": {"name": "probe", "schema": _PROBE_SCHEMA}},
        "json_object": {"type": "json_object", **({"schema": _PROBE_SCHEMA} if spec.local else {})},
        "prompt": None,
    }
    out = {}
    for mode, fmt in formats.items():
        body = {"max_tokens": 20, **({"response_format": fmt} if fmt else {})}
        try:
            resp = await client.chat.completions.create(model=spec.model, messages=_PROBE_MESSAGES, extra_body=body)
        except openai.APIStatusError as exc:
            out[mode] = f"rejected ({exc.status_code})"
            continue
        text = resp.choices[0].message.content or ""
        try:
            json.loads(clean_output(text))
            out[mode] = "works"
        except ValueError:
            out[mode] = "ignored (prose came back)"
    return out


async def check(spec: ModelSpec, settings: Settings, echo: Callable[[str], None]) -> bool:
    """Check one endpoint, echoing a line per finding. True when the model can be used."""
    import openai

    echo(f"{spec.id} at {spec.base_url}")
    try:
        key = spec.api_key()
    except ModelConfigError as exc:
        echo(f"  ✗ {exc}")
        return False
    client = openai.AsyncOpenAI(base_url=spec.base_url, api_key=key, max_retries=0,
                                timeout=openai.Timeout(settings.timeout, connect=settings.connect_timeout))
    ctx = {"key_env": spec.key_env, "start_hint": spec.start_hint()}
    try:
        listed = [m.id async for m in client.models.list()]
    except Exception as exc:  # noqa: BLE001
        echo(f"  ✗ {explain(exc, model=spec.model, base_url=spec.base_url, **ctx)}")
        return False
    echo(f"  ✓ reachable; the server lists {len(listed)} model(s)")
    if spec.model not in listed:
        echo(f"  ! {spec.model!r} is not listed — fix: use one of: {', '.join(listed[:12]) or '(none)'}"
             " (single-model servers such as llama.cpp answer to any name)")
    try:
        t0 = time.perf_counter()
        first = None
        stream = await client.chat.completions.create(model=spec.model, messages=[{"role": "user", "content": "Say hello."}],
                                                      stream=True, extra_body={"max_tokens": 8})
        async for chunk in stream:
            if first is None and chunk.choices and chunk.choices[0].delta.content:
                first = time.perf_counter() - t0
        echo(f"  ✓ streams; first token after {first:.2f} s" if first is not None else "  ! streamed no text")
        modes = await check_modes(client, spec)
    except Exception as exc:  # noqa: BLE001
        echo(f"  ✗ {explain(exc, model=spec.model, base_url=spec.base_url, listed=listed, **ctx)}")
        return False
    for mode, verdict in modes.items():
        echo(f"  {'✓' if verdict == 'works' else '·'} structured output {mode}: {verdict}")
    if not any(v == "works" for v in modes.values()):
        echo("  ! no mode returned JSON: grading will mark answers unscored — fix: use a larger or instruction-tuned model")
    return True


async def run_doctor(settings: Settings, echo: Callable[[str], None]) -> bool:
    """Check the interviewer's model and the grader's (once if they are the same)."""
    ok = True
    seen = set()
    for role, name in (("interviewer", settings.model), ("grader", settings.grader_model or settings.model)):
        try:
            spec = parse(name, base_url=settings.base_url, api_key_env=settings.api_key_env)
        except ModelConfigError as exc:
            echo(f"{role}: ✗ {exc}")
            ok = False
            continue
        if spec is None:
            echo(f"{role}: offline (scripted interviewer / rubric detectors) — nothing to check")
            continue
        if spec.id + spec.base_url in seen:
            continue
        seen.add(spec.id + spec.base_url)
        echo(f"{role}:")
        ok = await check(spec, settings, echo) and ok
    return ok
