"""Bare cost of one isolation decision: a Typst compile plus a pyHanko signature.

The issuing path (numbering, render, sign, store) is measured against this floor. No
Django, no database: the sample decision and a throwaway development certificate (the
same kind of key as the real path's development signer, loaded once as the real path
loads its signer once per process). Each document gets its own number and verification
address, as in real issuing: Typst memoises, and compiling identical input again costs a
fraction of a real compile. The wording and the QR code (composing the Typst input) are
timed apart and added to the floor, since issuing composes them too.

Run: `python -m bench.documents_bare [n]`.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from documents import samples
from documents.rendering import isolation_decision_context, render_template
from documents.signing import KeptKeySigner, load_or_create_dev_signer, sign_pdf


def _summary(samples_ms: list[float]) -> dict[str, float]:
    return {
        "mean_ms": round(statistics.fmean(samples_ms), 2),
        "p95_ms": round(statistics.quantiles(samples_ms, n=20)[18], 2),
    }


def _context(i: int) -> dict:
    decision = samples.isolation_decision(
        number=f"{i + 1:02d}/QĐ-UBND",
        verification_url=f"{samples.VERIFICATION_URL[:-6]}{i:06d}",
    )
    return isolation_decision_context(decision)


def bare_signer(directory: Path) -> KeptKeySigner:
    """A development signer in `directory`, and the compiler of this thread, warmed up."""
    signer = load_or_create_dev_signer(directory)
    sign_pdf(render_template("isolation_decision.typ", _context(999_999)), signer=signer)
    return signer


def bare_one(i: int, *, signer: KeptKeySigner) -> tuple[float, float, float]:
    """Compose, compile and sign decision number `i` (never reuse one: Typst memoises):
    milliseconds for the wording and QR code, the compile and the signature."""
    t0 = time.perf_counter()
    context = _context(i)
    t1 = time.perf_counter()
    pdf = render_template("isolation_decision.typ", context)
    t2 = time.perf_counter()
    sign_pdf(pdf, signer=signer)
    t3 = time.perf_counter()
    return (t1 - t0) * 1000, (t2 - t1) * 1000, (t3 - t2) * 1000


def bare_summary(timings: list[tuple[float, float, float]]) -> dict:
    """What bare_one timed, summed up: mean and p95 of each step and `per_doc_ms`, the mean
    of wording and QR + compile + sign per document (the floor)."""
    context_ms, compile_ms, sign_ms = (list(column) for column in zip(*timings, strict=True))
    total_ms = [c + s for c, s in zip(compile_ms, sign_ms, strict=True)]
    return {
        "n": len(timings),
        "wording_and_qr_mean_ms": round(statistics.fmean(context_ms), 2),
        "compile": _summary(compile_ms),
        "sign": _summary(sign_ms),
        "total": _summary(total_ms),
        "per_doc_ms": round(statistics.fmean(total_ms) + statistics.fmean(context_ms), 2),
        "docs_per_s": round(len(timings) / (sum(total_ms) / 1000), 1),
    }


def bare_cost(n: int = 200) -> dict:
    """Mean and p95 milliseconds per document for compile, sign and both; documents/s."""
    with tempfile.TemporaryDirectory() as directory:
        signer = bare_signer(Path(directory))
        return bare_summary([bare_one(i, signer=signer) for i in range(n)])


if __name__ == "__main__":
    result = bare_cost(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(f"Bare document cost over {result['n']} isolation decisions (one thread):")
    for step in ("compile", "sign", "total"):
        print(
            f"  {step:8} mean {result[step]['mean_ms']:7.2f} ms   p95 {result[step]['p95_ms']:7.2f} ms"
        )
    print(f"  wording + QR code (not in total) mean {result['wording_and_qr_mean_ms']:.2f} ms")
    print(f"  {result['docs_per_s']} documents/s")
