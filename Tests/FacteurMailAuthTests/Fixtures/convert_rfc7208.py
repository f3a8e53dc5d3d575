#!/usr/bin/env python3
"""Converts the openspf.org RFC 7208 test suite (rfc7208-tests.yml, shipped with pyspf 2.0.14 on
PyPI) into rfc7208-tests.json, once, so that the Swift tests need no YAML parser.

The zone data follows pyspf's test driver (test/testspf.py): SPF-type records are copied to TXT
unless the name has TXT records of its own ("TXT: NONE" means none at all); "TIMEOUT" makes
queries for types not listed before it time out.
Usage: python3 convert_rfc7208.py rfc7208-tests.yml > rfc7208-tests.json (needs PyYAML)."""
import json, sys, yaml

def records(entries):
    out, generated, gen = [], [], True
    for entry in entries:
        if entry == 'TIMEOUT':
            out.append('TIMEOUT'); continue
        for rtype, value in entry.items():
            if rtype in ('TXT', 'SPF') and isinstance(value, str):
                value = [value]
            if rtype == 'TXT':
                gen = False
            elif rtype == 'SPF' and gen:
                generated.append({'type': 'TXT', 'value': value})
            if value != ['NONE'] and rtype != 'SPF':
                out.append({'type': rtype, 'value': value})
    if gen:
        out.extend(generated)
    return out

scenarios = []
for doc in yaml.safe_load_all(open(sys.argv[1], encoding='utf-8')):
    tests = []
    for name, t in doc['tests'].items():
        result = t['result'] if isinstance(t['result'], list) else [t['result']]
        tests.append({'id': name, 'spec': str(t.get('spec', '')), 'helo': t['helo'], 'host': t['host'],
                      'mailfrom': t['mailfrom'], 'result': result, 'explanation': t.get('explanation')})
    zone = {name.lower(): records(entries) for name, entries in doc.get('zonedata', {}).items()}
    scenarios.append({'description': doc['description'], 'tests': tests, 'zone': zone})
json.dump(scenarios, sys.stdout, indent=1, ensure_ascii=True, sort_keys=True)
print()
