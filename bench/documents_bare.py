"""Bare cost of one isolation decision: a Typst compile plus a pyHanko signature.

The issuing path (numbering, render, sign, store) is measured against this floor. No
Django, no database: the sample decision and a throwaway development certificate.
Each document gets its own number and verification address, as in real issuing: Typst
memoises, and compiling identical input again costs a fraction of a real compile.
Run: `python -m bench.documents_bare [n]`.
"""

import statistics
import sys
import tempfile
import time
from pathlib import Path

from documents import samples
from documents.rendering import isolation_decision_context, render_template
from documents.signing import load_or_create_dev_signer, sign_pdf


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


def bare_cost(n: int = 200) -> dict:
    """Mean and p95 milliseconds per document for compile, sign and both; documents/s."""
    with tempfile.TemporaryDirectory() as directory:
        signer = load_or_create_dev_signer(Path(directory))
        started = time.perf_counter()
        contexts = [_context(i) for i in range(n + 1)]
        context_ms = (time.perf_counter() - started) * 1000 / (n + 1)
        sign_pdf(render_template("isolation_decision.typ", contexts[n]), signer=signer)  # warm-up
        compile_ms, sign_ms, total_ms = [], [], []
        for context in contexts[:n]:
            t0 = time.perf_counter()
            pdf = render_template("isolation_decision.typ", context)
            t1 = time.perf_counter()
            signed = sign_pdf(pdf, signer=signer)
            t2 = time.perf_counter()
            compile_ms.append((t1 - t0) * 1000)
            sign_ms.append((t2 - t1) * 1000)
            total_ms.append((t2 - t0) * 1000)
    return {
        "n": n,
        "wording_and_qr_mean_ms": round(context_ms, 2),
        "compile": _summary(compile_ms),
        "sign": _summary(sign_ms),
        "total": _summary(total_ms),
        "docs_per_s": round(n / (sum(total_ms) / 1000), 1),
        "pdf_bytes": len(pdf),
        "signed_pdf_bytes": len(signed),
    }


if __name__ == "__main__":
    result = bare_cost(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
    print(f"Bare document cost over {result['n']} isolation decisions (one thread):")
    for step in ("compile", "sign", "total"):
        print(
            f"  {step:8} mean {result[step]['mean_ms']:7.2f} ms   p95 {result[step]['p95_ms']:7.2f} ms"
        )
    print(f"  wording + QR code (not in total) mean {result['wording_and_qr_mean_ms']:.2f} ms")
    print(
        f"  {result['docs_per_s']} documents/s; PDF {result['pdf_bytes']} bytes, signed {result['signed_pdf_bytes']}"
    )
