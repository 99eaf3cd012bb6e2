#!/usr/bin/python3
"""Regenerates hmac_golden.json: the signatures jupyter_client computes.

jupyter_client's Session signs with hmac.new(key, digestmod=getattr(hashlib,
NAME)) over header, parent_header, metadata and content. Run with Debian's
Python: /usr/bin/python3 kernel/testdata/hmac_golden.py > kernel/testdata/hmac_golden.json
"""
import hashlib, hmac, json

names = ["md5", "sha1", "sha224", "sha256", "sha384", "sha512",
         "sha3_224", "sha3_256", "sha3_384", "sha3_512", "blake2b", "blake2s"]
key = "a0436f6c-1916-498b-8eb9-e81ab9368e84"
frames = ['{"msg_id":"1","msg_type":"kernel_info_request"}', "{}", "{}", '{"code":"é"}']
out = {"key": key, "frames": frames, "signatures": {}}
for name in names:
    h = hmac.new(key.encode("utf-8"), digestmod=getattr(hashlib, name))
    for f in frames:
        h.update(f.encode("utf-8"))
    out["signatures"]["hmac-" + name] = h.hexdigest()
print(json.dumps(out, indent=1, sort_keys=True))
