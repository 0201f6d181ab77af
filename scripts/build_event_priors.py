#!/usr/bin/env python3
"""Build the per-event-type priors of the Lakemark mapping engine (Sources/Mapping/Catalogs/event_priors.tsv).

Inputs:
  scripts/event_tables/cloudtrail.tsv   eventSource + eventName -> 800-53 controls (team-written)
  scripts/event_tables/okta.tsv         Okta eventType (or a prefix of one) -> 800-53 controls (team-written)
  scripts/event_tables/kubernetes.tsv   audit verb + resource -> 800-53 controls (team-written)
  scripts/event_tables/gcp.tsv          Google Cloud audit methodName (without versions) -> 800-53 (team-written)
  scripts/event_tables/azure.tsv        Azure / Entra ID operationName -> 800-53 controls (team-written)
  scripts/event_tables/guardduty.tsv    GuardDuty finding type -> ATT&CK techniques (+ own 800-53 controls)
  shared/data/ctid-mappings-explorer    ATT&CK technique -> 800-53 controls (MITRE CTID, Apache-2.0)
  Sources/Mapping/Catalogs/crosswalk.tsv, nist_800_53_r5.tsv (the bundled crosswalk and 800-53 ids)

Output records `source<TAB>type<TAB>catalog<TAB>id<TAB>weight<TAB>via`: for each event type (lower-cased; for
CloudTrail the eventName, for Kubernetes `verb resource`, for Google Cloud the method name without its version
segments, for Azure the operationName), its 800-53 controls and, projected through the
crosswalk, the CSF 2.0, PCI DSS, ISO 27001 and TSC controls crosswalked to them. Weights are in 0...1:
a team-written list gives 1.0 to its first control and 0.08 less to each next one (at least 0.6); a
GuardDuty type also gets the controls CTID maps its techniques to, 0.45 + 0.25 x the share of its
techniques that name the control (the most generic CTID controls rank first among equals). A projected
control gets 0.9 x the best weight of the 800-53 controls it is crosswalked to (+0.02 per further one; an
enhancement such as IA-2(1) also reaches its base control's targets unless the type lists the base itself),
at most PROJECTED_PER_CATALOG per type and catalogue. The engine adds `beta` (header `#beta`) x weight to
a control's fused score when an event of that type is mapped. A type written `<type> failed` (say
`ConsoleLogin failed`) is used instead of `<type>` when the event failed; the type's own row then projects no
requirement whose main crosswalked control only the failure row has (PCI 8.3.4, AC-7 first, for a sign-in).

No text of the evaluation sets is read. Usage:
    python3 scripts/build_event_priors.py [--shared DIR] [--check]
"""

import argparse
import collections
import json
import os
import re
import sys

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
TABLES = os.path.join(REPO, 'scripts', 'event_tables')
CATALOGS = os.path.join(REPO, 'Sources', 'Mapping', 'Catalogs')
OUT = os.path.join(CATALOGS, 'event_priors.tsv')
CTID = os.path.join('data', 'ctid-mappings-explorer', 'mappings', 'nist_800_53', 'attack-16.1', 'nist_800_53-rev5',
                    'enterprise', 'nist_800_53-rev5_attack-16.1-enterprise.json')

# Weight of an event prior against the lexical similarity, per catalogue (the engine's fused score is a lexical
# similarity in 0...1 plus priors; see Sources/Mapping/EventPriors.swift).
BETA = collections.OrderedDict([('nist_800_53_r5', 0.5), ('nist_csf_v2', 0.4), ('pci_dss_v4', 0.4),
                                ('iso_27001', 0.4), ('tsc_2017', 0.4)])
NIST_PER_TYPE = 10
# Catalogues whose crosswalk lists name a control's main 800-53 control first (team-written); the CSF's (NIST's
# concept crosswalk) are in id order.
MAIN_CONTROL_FIRST = {'pci_dss_v4', 'iso_27001', 'tsc_2017'}
# A type written with this ending is the row for failed events of the type (EventPriors+Outcome.swift).
FAILED = ' failed'
PROJECTED_PER_CATALOG = 5
# PCI DSS requirements that apply only to some entities or one technology: service providers only (3.6.1.1, 8.2.3,
# 8.3.10, 8.3.10.1, 10.7.1, 11.4.6, 11.4.7, 11.5.1.1, 12.4.2, 12.4.2.1, 12.5.2.1, 12.9.x), issuers (3.3.3), wireless
# networks (1.3.3, 2.3.x, 4.2.1.2, 11.2.x), the hashing of stored card numbers (3.5.1.1) and the appendices for
# multi-tenant providers, POS POI terminals and designated entities (A1, A2, A3). The crosswalk reaches them from
# generic 800-53 controls (SC-12, IA-5, AC-3), but an event of a type says nothing about the entity or the network,
# so a type's projected rows leave them out; the text can still match them.
NOT_PROJECTED = {
    'pci_dss_v4': re.compile(r'^(3\.6\.1\.1|8\.2\.3|8\.3\.10(\.1)?|10\.7\.1|11\.4\.[67]|11\.5\.1\.1|12\.4\.2(\.1)?|'
                             r'12\.5\.2\.1|12\.9\.\d+|3\.3\.3|1\.3\.3|2\.3\.\d+|4\.2\.1\.2|11\.2\.\d+|3\.5\.1\.1|'
                             r'A[123](\.\d+)*)$'),
}


def resolve_shared(given):
    for candidate in (given, os.path.join(REPO, '..', 'shared'), os.environ.get('LAKEMARK_SHARED'), '/work/shared'):
        if candidate and os.path.isfile(os.path.join(candidate, CTID)):
            return candidate
    sys.exit('build_event_priors.py: no shared folder with %s (pass --shared DIR)' % CTID)


def read_table(name, columns):
    rows = []
    with open(os.path.join(TABLES, name), encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip('\n')
            if not line or line.startswith('#'):
                continue
            fields = line.split('\t')
            if len(fields) != columns:
                sys.exit('%s line %d: expected %d TAB-separated fields' % (name, number, columns))
            rows.append(fields)
    return rows


def canon_n53(raw):
    """`AC-02` -> `AC-2`, `AC-6(5)` kept."""
    m = re.fullmatch(r'([A-Z]{2})-0*(\d+)(\(\d+\))?', raw)
    if not m:
        sys.exit('not an 800-53 id: %r' % raw)
    return '%s-%s%s' % (m.group(1), m.group(2), m.group(3) or '')


def catalog_ids(name):
    ids = []
    with open(os.path.join(CATALOGS, name + '.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            ids.append(line.split('\t', 1)[0])
    return ids


def read_crosswalk():
    """catalog -> 800-53 id -> [catalog control ids], and catalog -> control id -> the first 800-53 id it lists (its
    main one; MAIN_CONTROL_FIRST catalogues only), from the bundled crosswalk.tsv."""
    reverse = collections.defaultdict(lambda: collections.defaultdict(list))
    main = collections.defaultdict(dict)
    with open(os.path.join(CATALOGS, 'crosswalk.tsv'), encoding='utf-8') as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            catalog, cid, nist = line.rstrip('\n').split('\t')
            for n in nist.split():
                reverse[catalog][n].append(cid)
            if nist.split() and catalog in MAIN_CONTROL_FIRST:
                main[catalog][cid] = nist.split()[0]
    return reverse, main


def read_ctid(shared):
    """technique -> set of 800-53 base controls, and control -> number of techniques naming it."""
    with open(os.path.join(shared, CTID), encoding='utf-8') as f:
        objects = json.load(f)['mapping_objects']
    techniques = collections.defaultdict(set)
    for o in objects:
        if o.get('capability_id') and o.get('status') == 'complete':
            techniques[o['attack_object_id']].add(canon_n53(o['capability_id']))
    df = collections.Counter(c for controls in techniques.values() for c in controls)
    return techniques, df


def ranked(controls):
    """Team-written list -> weights by position."""
    return {c: max(1.0 - 0.08 * i, 0.6) for i, c in enumerate(controls)}


def guardduty_weights(techniques_text, own, ctid, df, known):
    weights = ranked(own.split())
    techniques = techniques_text.split()
    mapped = [t for t in techniques if ctid.get(t)]
    via = []
    if mapped:
        top_df = max(df.values())
        share = collections.Counter(c for t in mapped for c in ctid[t])
        derived = {}
        for c, n in share.items():
            if c not in known:
                continue
            derived[c] = 0.45 + 0.25 * n / len(mapped) + 0.02 * df[c] / top_df
        for c, w in derived.items():
            weights[c] = max(weights.get(c, 0), w)
        via = ['ctid:' + ' '.join(mapped)]
    return weights, via


def build(shared):
    known = set(catalog_ids('nist_800_53_r5'))
    ctid, df = read_ctid(shared)
    events = collections.OrderedDict()   # (source, type) -> (weights, via)

    def add(source, key, weights, via):
        for c in weights:
            if c not in known:
                sys.exit('%s %s: %s is not in the 800-53 catalog' % (source, key, c))
        events[(source, key.lower())] = (weights, via)

    for source, name, controls in read_table('cloudtrail.tsv', 3):
        add('cloudtrail', name, ranked(controls.split()), ['own (%s)' % source])
    for event_type, controls in read_table('okta.tsv', 2):
        add('okta', event_type, ranked(controls.split()), ['own'])
    for verb, resource, controls in read_table('kubernetes.tsv', 3):
        add('k8s-audit', '%s %s' % (verb, resource), ranked(controls.split()), ['own'])
    for method, controls in read_table('gcp.tsv', 2):
        add('gcp-audit', method, ranked(controls.split()), ['own'])
    for operation, controls in read_table('azure.tsv', 2):
        add('azure-activity', operation, ranked(controls.split()), ['own'])
    for finding, techniques, own in read_table('guardduty.tsv', 3):
        weights, via = guardduty_weights(techniques, own, ctid, df, known)
        add('guardduty', finding, weights, ['own'] + via if own.strip() else via)

    for source, key in events:
        if key.endswith(FAILED) and (source, key[:-len(FAILED)]) not in events:
            sys.exit('%s %s: no row for the type without "%s"' % (source, key, FAILED.strip()))
    reverse, main = read_crosswalk()
    rows = []
    for (source, key), (weights, via) in events.items():
        # The controls only a type's failure row has (AC-7 for a sign-in): the type's own row leaves out the
        # requirements they are the main control of (PCI 8.3.4 reached through IA-5 for a successful sign-in).
        failure = events.get((source, key + FAILED))
        failure_only = set(failure[0]) - set(weights) if failure else set()
        best = sorted(weights.items(), key=lambda kv: (-kv[1], -df.get(kv[0], 0), kv[0]))[:NIST_PER_TYPE]
        for c, w in best:
            rows.append((source, key, 'nist_800_53_r5', c, w, '+'.join(via)))
        for catalog in BETA:
            if catalog == 'nist_800_53_r5':
                continue
            score = collections.defaultdict(float)
            count = collections.Counter()
            listed = {c for c, _ in best}
            for c, w in best:
                base = c.split('(')[0]
                # An enhancement reaches its base control's targets too, unless the type lists the base itself
                # (then those targets would count the same control twice).
                inherited = [] if base in listed and base != c else reverse[catalog].get(base, [])
                targets = set(reverse[catalog].get(c, [])) | set(inherited)
                excluded = NOT_PROJECTED.get(catalog)
                for target in targets:
                    if excluded and excluded.match(target) or main[catalog].get(target) in failure_only:
                        continue
                    score[target] = max(score[target], 0.9 * w)
                    count[target] += 1
            final = {t: min(s + 0.02 * (count[t] - 1), 0.95) for t, s in score.items()}
            for t, w in sorted(final.items(), key=lambda kv: (-kv[1], kv[0]))[:PROJECTED_PER_CATALOG]:
                rows.append((source, key, catalog, t, w, 'crosswalk'))
    return rows, len(ctid)


def render(rows, technique_count):
    lines = ['#lakemark-event-priors\t1',
             '#beta\t' + '\t'.join('%s=%g' % kv for kv in BETA.items()),
             '#source\tteam-written tables scripts/event_tables/*.tsv; ATT&CK technique -> 800-53 from MITRE CTID '
             'mappings-explorer (Apache-2.0, %d techniques); projected through crosswalk.tsv' % technique_count,
             '#fields\tsource\ttype\tcatalog\tid\tweight\tvia']
    for source, key, catalog, cid, weight, via in rows:
        lines.append('%s\t%s\t%s\t%s\t%.3f\t%s' % (source, key, catalog, cid, weight, via))
    return '\n'.join(lines) + '\n'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--shared', help='shared folder (default ../shared, $LAKEMARK_SHARED, /work/shared)')
    ap.add_argument('--out', default=OUT)
    ap.add_argument('--check', action='store_true', help='exit 1 when --out differs from what would be written')
    a = ap.parse_args(argv)
    rows, technique_count = build(resolve_shared(a.shared))
    text = render(rows, technique_count)
    if a.check:
        current = open(a.out, encoding='utf-8').read() if os.path.exists(a.out) else ''
        print('event priors are up to date' if current == text else 'stale: ' + a.out)
        return 0 if current == text else 1
    with open(a.out, 'w', encoding='utf-8') as f:
        f.write(text)
    types = len({(r[0], r[1]) for r in rows})
    print('wrote %s (%d event types, %d rows)' % (os.path.relpath(a.out, os.getcwd()), types, len(rows)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
