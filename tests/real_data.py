"""Where the three real published spend files are (../shared/data/spend beside the checkout).

A clean clone for CI may sit elsewhere, so look upwards from here, then at the workplace's
fixed path; TISC_SPEND_DATA overrides both.
"""

import os
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "spend"


def _find() -> Path:
    if os.environ.get("TISC_SPEND_DATA"):
        return Path(os.environ["TISC_SPEND_DATA"])
    here = Path(__file__).resolve()
    candidates = [parent / "shared" / "data" / "spend" for parent in here.parents]
    candidates.append(Path("/work/shared/data/spend"))
    return next((c for c in candidates if c.is_dir()), candidates[-1])


REAL_DATA = _find()
