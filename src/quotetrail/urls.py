"""What a url says about its outlet, without the readers: the ingest side names outlets with it and
the store matches outlet filters with it, and the store must not import the readers (trafilatura)."""
from __future__ import annotations

from urllib.parse import urlsplit

# Second-level suffixes under which a registered domain has three labels (bbc.co.uk, abc.net.au).
SECOND_LEVEL = {
    f"{sld}.{tld}"
    for tld in ("uk", "au", "nz", "za", "jp", "kr", "in", "br", "tr", "cn", "mx", "ar", "sg", "my", "hk", "tw",
                "il", "id", "th", "ph", "pk", "ng", "ke", "ua", "az", "eg", "sa", "pe", "co", "ve", "uy", "vn")
    for sld in ("co", "com", "net", "org", "gov", "ac", "edu", "ltd", "plc", "or", "ne", "go")
}


def outlet_of(url: str | None) -> str | None:
    """The registered domain of a url: `www.` dropped, the last two labels (three under co.uk, com.au…)."""
    try:
        host = (urlsplit(url).hostname or "") if url else ""
    except ValueError:
        return None
    labels = host.rstrip(".").removeprefix("www.").split(".")
    if len(labels) < 2 or not all(labels):
        return None
    keep = 3 if ".".join(labels[-2:]) in SECOND_LEVEL and len(labels) > 2 else 2
    return ".".join(labels[-keep:])
