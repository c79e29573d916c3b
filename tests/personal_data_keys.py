"""Fixed personal-data keys for the tests (liuzhou_social/crypto.py), set before Django reads its settings.

Loaded by pytest.ini (``-p tests.personal_data_keys``) so that ``python -m pytest`` works without them in
the environment; ``scripts/test`` and ``.ci/run`` export the same values. Keys set in the environment win.
They are test keys, known to everyone: never use them for real data.
"""

import os

TEST_KEYS = {
    # base64 of b"test-only-personal-data-key-0001" and b"test-only-personal-data-hash-key"
    "PERSONAL_DATA_KEYS": "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEta2V5LTAwMDE=",
    "PERSONAL_DATA_HASH_KEY": "dGVzdC1vbmx5LXBlcnNvbmFsLWRhdGEtaGFzaC1rZXk=",
}

if not os.environ.get("PERSONAL_DATA_KEYS") and not os.environ.get("PERSONAL_DATA_HASH_KEY"):
    os.environ.update(TEST_KEYS)
