"""``interviewer doctor``: check a model endpoint and say what to fix.

For the interviewer's and the grader's model: is the server reachable, is the model asked for
among those it lists, how long until the first streamed token (seconds), and which
structured-output modes work (``json_schema``, ``json_object``, prompt-and-parse): each is
``works``, ``rejected`` (the server refused it) or ``ignored`` (prose came back). The last line
is the verdict: ``ready: ...`` or ``not ready — fix: ...`` with the first fix.
"""

from __future__ import annotations

import json
import time
from typing import Callable

from interviewer.config import Settings
from interviewer.llm import clean_output, explain
from interviewer.models import ModelConfigError, ModelSpec, parse
from interviewer.wording import plural

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


def _fix(message: str) -> str:
    """The fix in a one-line error ("... — fix: FIX"), or the whole line when it names none."""
    return message.partition(" — fix: ")[2] or message


async def check(spec: ModelSpec, settings: Settings, echo: Callable[[str], None], *, grades: bool = True) -> str | None:
    """Check one endpoint, echoing a line per finding: reachable, whether the model asked for is
    among those the server lists, the seconds to the first streamed token, and the
    structured-output modes. Returns None when the model can be used, else the first fix (one
    line). ``grades``: the model grades too, so a server that returns no JSON in any mode is not
    ready."""
    import openai

    echo(f"{spec.id} at {spec.base_url}")
    try:
        key = spec.api_key()
    except ModelConfigError as exc:
        echo(f"  ✗ {exc}")
        return _fix(str(exc))
    client = openai.AsyncOpenAI(base_url=spec.base_url, api_key=key, max_retries=0,
                                timeout=openai.Timeout(settings.timeout, connect=settings.connect_timeout))
    ctx = {"key_env": spec.key_env, "start_hint": spec.start_hint()}
    try:
        listed = [m.id async for m in client.models.list()]
    except Exception as exc:  # noqa: BLE001
        error = explain(exc, model=spec.model, base_url=spec.base_url, **ctx)
        echo(f"  ✗ {error}")
        return _fix(str(error))
    if spec.model in listed:
        which = ": the one asked for" if len(listed) == 1 else " among them"
        echo(f"  ✓ reachable; the server lists {plural(len(listed), 'model')}, {spec.model!r}{which}")
    else:
        echo(f"  ! reachable, but the server does not list {spec.model!r}; it lists {plural(len(listed), 'model')}"
             f"{': ' + ', '.join(listed[:12]) if listed else ''} — fix: use one of them (single-model servers such as llama.cpp "
             "answer to any name: the next checks tell)")
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
        error = explain(exc, model=spec.model, base_url=spec.base_url, listed=listed, **ctx)
        echo(f"  ✗ {error}")
        return _fix(str(error))
    for mode, verdict in modes.items():
        echo(f"  {'✓' if verdict == 'works' else '·'} structured output {mode}: {verdict}")
    if not any(v == "works" for v in modes.values()):
        fix = "use a larger or instruction-tuned model" + (" for --grader-model" if grades else "")
        echo(f"  {'✗' if grades else '!'} no mode returned JSON: grading would mark answers unscored — fix: {fix}")
        if grades:
            return fix
    return None


async def run_doctor(settings: Settings, echo: Callable[[str], None]) -> bool:
    """Check the interviewer's model and the grader's (once if they are the same), then end
    with one line: ``ready: ...`` or ``not ready — fix: ...`` (the first fix). True when ready."""
    fixes: list[str] = []
    checked: list[str] = []
    # each endpoint once, with the roles it plays, in the order of the roles
    roles: dict[tuple[str, str], tuple[ModelSpec | str, list[str]]] = {}
    for role, name in (("interviewer", settings.model), ("grader", settings.grader_model or settings.model)):
        try:
            spec = parse(name, base_url=settings.base_url, api_key_env=settings.api_key_env)
        except ModelConfigError as exc:
            roles[(role, "")] = (str(exc), [role])
            continue
        roles.setdefault((spec.id, spec.base_url) if spec else (role, "offline"), (spec or "offline", []))[1].append(role)
    for spec, names in roles.values():
        if spec == "offline":
            echo(f"{names[0]}: offline (scripted interviewer / rubric detectors) — nothing to check")
            continue
        if isinstance(spec, str):
            echo(f"{names[0]}: ✗ {spec}")
            fixes.append(_fix(spec))
            continue
        echo(f"{' and '.join(names)}:")
        fix = await check(spec, settings, echo, grades="grader" in names)
        if fix:
            fixes.append(fix)
        else:
            checked.append(f"{spec.id} can {' and '.join('interview' if n == 'interviewer' else 'grade' for n in names)}")
    if fixes:
        echo(f"not ready — fix: {fixes[0]}")
        return False
    echo(f"ready: {'; '.join(checked)}" if checked else "ready: offline, nothing to check")
    return True
