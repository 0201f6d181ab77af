#!/usr/bin/env python3
"""Build the control catalogs bundled with the Lakemark mapping engine.

Reads public inputs from the shared data folder and the team-written descriptions in
scripts/catalog_descriptions/, and writes Sources/Mapping/Catalogs/:

    nist_800_53_r5.tsv   NIST SP 800-53 Rev. 5 controls and enhancements (OSCAL, public domain)
    nist_csf_v2.tsv      NIST CSF 2.0 subcategories (OSCAL, public domain)
    pci_dss_v4.tsv       PCI DSS v4 requirement ids + team-written descriptions
    iso_27001.tsv        ISO/IEC 27001:2022 Annex A ids + team-written descriptions
    tsc_2017.tsv         AICPA 2017 Trust Services Criteria ids + team-written descriptions
    vocabulary.tsv       the security vocabulary (normalisation and query expansion rules)
    LICENSES/            licence texts of the bundled public inputs
    PROVENANCE.md        where every input came from and how each file was derived

Catalog file format (UTF-8, one line per record, fields separated by TAB, no TAB or newline
inside a field):

    #lakemark-catalog<TAB>1
    #key<TAB>value                     header lines: catalog, title, weights, bm25
    id<TAB>family<TAB>title<TAB>boost<TAB>body<TAB>detail<TAB>context

`title`, `body`, `detail` and `context` are indexed with the per-field weights of the
`#weights` header (BM25F-style weighted term frequencies); `boost` multiplies a control's score
(a documented prior, 1 by default); `family` is returned with every match.

Usage:
    python3 scripts/build_catalogs.py [--shared DIR] [--check]

The shared folder is --shared, else ../shared relative to the repository root, else
$LAKEMARK_SHARED. Only the Python standard library is used. Nothing from the mapping evaluation
sets (shared/eval) is read.
"""

import argparse
import collections
import csv
import json
import os
import re
import sys
import xml.etree.ElementTree as ET

REPO = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), '..'))
DESCRIPTIONS = os.path.join(REPO, 'scripts', 'catalog_descriptions')
OUT = os.path.join(REPO, 'Sources', 'Mapping', 'Catalogs')

N53_PATH = os.path.join('data', 'nist-oscal-content', 'NIST_SP-800-53_rev5_catalog-min.json')
N53_LOW = os.path.join('data', 'nist-oscal-content', 'NIST_SP-800-53_rev5_LOW-baseline_profile-min.json')
N53_MODERATE = os.path.join('data', 'nist-oscal-content', 'NIST_SP-800-53_rev5_MODERATE-baseline_profile-min.json')
CSF_PATH = os.path.join('data', 'nist-oscal-content', 'NIST_CSF_v2.0_catalog.xml')
CSF_XWALK = os.path.join('data', 'degenaro-example-mapping', 'content', 'csf2_to_800-53_crosswalk.csv')
OLIR_DIR = os.path.join('data', 'ciso-assistant-mappings', 'backend', 'library', 'libraries')
OLIR_N53_ISO = os.path.join(OLIR_DIR, 'mapping-nist-sp-800-53-rev5-to-iso27001-2022.yaml')
OLIR_CSF_ISO = os.path.join(OLIR_DIR, 'mapping-nist-csf-2.0-to-iso27001-2022.yaml')

FORMAT_VERSION = '1'
FIELDS = ['id', 'family', 'title', 'boost', 'body', 'detail', 'context']

# Field weights and BM25 parameters per catalog (tuned on the development sets, see
# scripts/eval_mapping.sh). Weights scale the term frequencies of each field.
SETTINGS = {
    'nist_800_53_r5': {'weights': (3.0, 1.0, 0.7, 0.5), 'k1': 1.2, 'b': 0.75},
    'nist_csf_v2': {'weights': (3.0, 1.0, 1.0, 0.3), 'k1': 1.2, 'b': 0.75},
    'pci_dss_v4': {'weights': (2.0, 1.0, 0.25, 0.2), 'k1': 1.2, 'b': 0.9},
    'iso_27001': {'weights': (2.0, 1.0, 0.5, 0.1), 'k1': 1.6, 'b': 0.75},
    'tsc_2017': {'weights': (2.0, 1.0, 0.5, 0.3), 'k1': 1.6, 'b': 0.9},
}

# Requirements that bind only some entities (`#scope` line, Sources/Mapping/ControlScopes.swift): the engine
# answers them only for a text that names such an entity (every word of one phrase, by stem), or for every text when
# the organisation says it is one (`entities`). An id covers its sub-levels. PCI DSS v4: the requirements for
# service providers only, Appendix A1 (multi-tenant service providers, with 11.4.7), A2 (POS POI terminals on
# SSL/early TLS), issuers (3.3.3), wireless networks, keyed hashes of stored PANs. Appendix A3 (designated entities)
# stays unscoped: its requirements restate core ones (access reviews, control failures, scope) that events do touch,
# and the labelled check mappings name them often (scoping A3 cost .026 of PCI hit@1 held out).
# Without the scopes a check or event text about public buckets or snapshots drew A1.1.2 ("customers limited to their
# own data") and a key deletion 3.5.1.1 ("keyed hashes"). The phrases avoid words events use in other senses: a
# token or certificate "issuer", an Entra or Kubernetes "tenant", a Windows "terminal" server, a file "hash".
SCOPES = {
    'pci_dss_v4': [
        ('A1 11.4.7', ['multi tenant', 'hosting provider']),
        ('3.6.1.1 8.2.3 8.3.10 10.7.1 11.4.6 11.5.1.1 12.4 12.5.2.1 12.5.3 12.9',
         ['service provider', 'multi tenant', 'hosting provider']),
        ('A2', ['payment terminal', 'early TLS']),
        ('3.3.3', ['card issuer', 'issuing services']),
        ('1.3.3 2.3 4.2.1.2 11.2', ['wireless']),
        ('3.5.1.1', ['PAN hash']),
    ],
}

# Prior boosts for 800-53: controls selected by the SP 800-53B LOW / MODERATE baselines are the
# ones most systems implement, so findings are more often evidence for them.
BOOST_LOW_BASELINE = 1.10
BOOST_MODERATE_BASELINE = 1.05

ISO_THEMES = {'5': 'Organizational controls', '6': 'People controls', '7': 'Physical controls',
              '8': 'Technological controls'}
ISO_COUNTS = {'5': 37, '6': 8, '7': 14, '8': 34}

TSC_FAMILIES = [
    ('CC1.', 'Control Environment'), ('CC2.', 'Communication and Information'), ('CC3.', 'Risk Assessment'),
    ('CC4.', 'Monitoring Activities'), ('CC5.', 'Control Activities'),
    ('CC6.', 'Logical and Physical Access Controls'), ('CC7.', 'System Operations'),
    ('CC8.', 'Change Management'), ('CC9.', 'Risk Mitigation'), ('A1.', 'Availability'),
    ('C1.', 'Confidentiality'), ('PI1.', 'Processing Integrity'), ('P', 'Privacy'),
]
TSC_IDS = (['CC1.%d' % i for i in range(1, 6)] + ['CC2.%d' % i for i in range(1, 4)] +
           ['CC3.%d' % i for i in range(1, 5)] + ['CC4.1', 'CC4.2'] + ['CC5.%d' % i for i in range(1, 4)] +
           ['CC6.%d' % i for i in range(1, 9)] + ['CC7.%d' % i for i in range(1, 6)] + ['CC8.1', 'CC9.1', 'CC9.2'] +
           ['A1.1', 'A1.2', 'A1.3', 'C1.1', 'C1.2'] + ['PI1.%d' % i for i in range(1, 6)] +
           ['P1.1', 'P2.1', 'P3.1', 'P3.2', 'P4.1', 'P4.2', 'P4.3', 'P5.1', 'P5.2'] +
           ['P6.%d' % i for i in range(1, 8)] + ['P7.1', 'P8.1'])

PARAM_RE = re.compile(r'\{\{\s*insert:\s*param,\s*([\w.-]+)\s*\}\}')
N53_ID_RE = re.compile(r'^(AC|AT|AU|CA|CM|CP|IA|IR|MA|MP|PE|PL|PM|PS|PT|RA|SA|SC|SI|SR)-\d{1,2}(\(\d{1,2}\))?$')
PCI_ID_RE = re.compile(r'^A?\d{1,2}(\.\d{1,2}){0,4}$')


def fail(message):
    """Stops the script with a message on stderr."""
    sys.stderr.write('build_catalogs: %s\n' % message)
    sys.exit(2)


def clean(text):
    """One line of text: whitespace runs (tabs, newlines) collapsed to one space."""
    return ' '.join(str(text).split())


def natural_key(cid):
    """Sort key that orders AC-2 < AC-2(1) < AC-10 and 1.2.5 < 10.2.1."""
    return [(0, int(x), '') if x.isdigit() else (1, 0, x) for x in re.findall(r'\d+|[A-Za-z]+', cid)]


def resolve_shared(arg):
    """The shared folder: --shared, else ../shared next to the repository, else $LAKEMARK_SHARED."""
    candidates = []
    if arg:
        candidates.append(arg)
    else:
        candidates.append(os.path.join(REPO, '..', 'shared'))
        if os.environ.get('LAKEMARK_SHARED'):
            candidates.append(os.environ['LAKEMARK_SHARED'])
    for c in candidates:
        if os.path.isfile(os.path.join(c, N53_PATH)):
            return os.path.normpath(c)
    fail('shared data folder not found (tried %s); pass --shared DIR or set LAKEMARK_SHARED'
         % ', '.join(candidates))


# ---------------------------------------------------------------------------------------------
# NIST SP 800-53 Rev. 5 (OSCAL JSON)
# ---------------------------------------------------------------------------------------------

def n53_label(oscal_id):
    """'ac-2' -> 'AC-2', 'ac-2.1' -> 'AC-2(1)'."""
    m = re.match(r'^([a-z]{2})-(\d+)(?:\.(\d+))?$', oscal_id)
    if not m:
        return None
    return '%s-%d' % (m.group(1).upper(), int(m.group(2))) + ('(%d)' % int(m.group(3)) if m.group(3) else '')


def param_text(param, params):
    """Readable stand-in for a parameter: its label, its choices joined by 'or', or a neutral phrase."""
    if param.get('label'):
        return param['label']
    select = param.get('select')
    if select and select.get('choice'):
        return ' or '.join(substitute(c, params) for c in select['choice'])
    return 'organization-defined value'


def substitute(prose, params):
    """Replaces OSCAL `{{ insert: param, id }}` placeholders with readable text."""
    def repl(m):
        p = params.get(m.group(1))
        return param_text(p, params) if p else 'organization-defined value'
    return PARAM_RE.sub(repl, prose)


def part_prose(part, params):
    """Prose of a part and its nested parts, labels dropped."""
    out = []
    if part.get('prose'):
        out.append(substitute(part['prose'], params))
    for sub in part.get('parts', []):
        out.append(part_prose(sub, params))
    return ' '.join(x for x in out if x)


def load_n53(shared):
    """-> ordered dict id -> {family, title, statement, guidance, parent, withdrawn}."""
    path = os.path.join(shared, N53_PATH)
    catalog = json.load(open(path, encoding='utf-8'))['catalog']
    version = catalog['metadata'].get('version', '')
    out = collections.OrderedDict()

    def walk(controls, family, parent, inherited):
        for c in controls:
            props = {p['name']: p['value'] for p in c.get('props', [])}
            cid = props.get('label') or n53_label(c['id'])
            if not cid or not N53_ID_RE.match(cid):
                fail('unexpected 800-53 control id %r' % c['id'])
            params = dict(inherited)
            params.update({p['id']: p for p in c.get('params', [])})
            parts = {p['name']: p for p in c.get('parts', [])}
            out[cid] = {
                'family': family,
                'title': clean(c.get('title', '')),
                'statement': clean(part_prose(parts['statement'], params)) if 'statement' in parts else '',
                'guidance': clean(part_prose(parts['guidance'], params)) if 'guidance' in parts else '',
                'parent': parent,
                'withdrawn': props.get('status') == 'withdrawn',
            }
            walk(c.get('controls', []), family, cid, params)

    for g in catalog['groups']:
        walk(g.get('controls', []), clean(g.get('title', '')), None, {})
    return out, version


def load_baseline(shared, rel):
    """800-53 ids selected by a baseline profile."""
    profile = json.load(open(os.path.join(shared, rel), encoding='utf-8'))['profile']
    ids = set()
    for imp in profile.get('imports', []):
        for inc in imp.get('include-controls', []):
            for oid in inc.get('with-ids', []):
                label = n53_label(oid)
                if label:
                    ids.add(label)
    return ids


def build_n53(n53, low, moderate):
    """Rows of the 800-53 catalog: non-withdrawn controls and enhancements."""
    rows = []
    for cid, c in n53.items():
        if c['withdrawn']:
            continue
        parent = n53.get(c['parent']) if c['parent'] else None
        context = parent['title'] + '. ' + parent['statement'] if parent else ''
        boost = BOOST_LOW_BASELINE if cid in low else BOOST_MODERATE_BASELINE if cid in moderate else 1.0
        rows.append({'id': cid, 'family': c['family'], 'title': c['title'], 'boost': boost,
                     'body': c['statement'], 'detail': c['guidance'], 'context': context})
    return rows


def n53_summary(n53, cid):
    """Title and statement of an 800-53 control, for crosswalk context."""
    c = n53.get(cid)
    if not c or c['withdrawn']:
        return ''
    return c['title'] + '. ' + c['statement']


# ---------------------------------------------------------------------------------------------
# NIST CSF 2.0 (OSCAL XML) and its 800-53 crosswalk
# ---------------------------------------------------------------------------------------------

OSCAL_NS = {'o': 'http://csrc.nist.gov/ns/oscal/1.0'}


def xml_text(el):
    """Text of an element and its children, whitespace collapsed."""
    return clean(' '.join(el.itertext())) if el is not None else ''


def canon_csf(raw):
    """'de.ae-2' / 'DE.AE-02' -> 'DE.AE-02'; a category stays 'DE.AE'."""
    m = re.match(r'^\s*([A-Za-z]{2})\.([A-Za-z]{2})(?:-0*(\d{1,2}))?\s*$', raw)
    if not m:
        return None
    base = '%s.%s' % (m.group(1).upper(), m.group(2).upper())
    return base + ('-%02d' % int(m.group(3)) if m.group(3) else '')


def load_csf(shared):
    """-> (subcategories: id -> {category, category_title, function, statement, examples}, categories)."""
    root = ET.parse(os.path.join(shared, CSF_PATH)).getroot()
    subs, cats = collections.OrderedDict(), collections.OrderedDict()
    for g in root.findall('o:group', OSCAL_NS):
        function = xml_text(g.find('o:title', OSCAL_NS)).title()
        for c in g.findall('o:control', OSCAL_NS):
            cat_id = canon_csf(c.get('id'))
            cat_title = xml_text(c.find('o:title', OSCAL_NS))
            cat_stmt = ' '.join(xml_text(p) for p in c.findall('o:part', OSCAL_NS) if p.get('name') == 'statement')
            active = False
            for s in c.findall('o:control', OSCAL_NS):
                parts = s.findall('o:part', OSCAL_NS)
                examples = [xml_text(p) for p in parts if p.get('name') == 'example']
                if not examples:
                    continue  # a withdrawn CSF 1.1 subcategory kept in the file without a status
                active = True
                subs[canon_csf(s.get('id'))] = {
                    'category': cat_id, 'category_title': cat_title, 'function': function,
                    'statement': ' '.join(xml_text(p) for p in parts if p.get('name') == 'statement'),
                    'examples': examples,
                }
            if active:
                cats[cat_id] = {'title': cat_title, 'statement': cat_stmt, 'function': function}
    return subs, cats


def load_csf_xwalk(shared):
    """CSF 2.0 subcategory -> 800-53 ids (NIST concept crosswalk, via degenaro/example-mapping)."""
    out = collections.defaultdict(list)
    with open(os.path.join(shared, CSF_XWALK), encoding='utf-8', newline='') as f:
        rows = list(csv.reader(f))
    for row in rows[2:]:
        if len(row) < 4:
            continue
        sid = canon_csf(row[2])
        for raw in row[3].split():
            nid = n53_label(raw.lower())
            if sid and nid:
                out[sid].append(nid)
    return out


def build_csf(subs, xwalk, n53):
    """Rows of the CSF catalog: the 106 subcategories."""
    rows = []
    for sid, s in subs.items():
        context = '%s. %s. ' % (s['function'], s['category_title'])
        context += ' '.join(n53[n]['title'] + '.' for n in xwalk.get(sid, []) if n in n53)
        rows.append({'id': sid, 'family': s['category_title'], 'title': s['statement'], 'boost': 1.0,
                     'body': ' '.join(s['examples']), 'detail': s['category_title'], 'context': context,
                     'nist': [n for n in xwalk.get(sid, []) if n in n53]})
    return rows


# ---------------------------------------------------------------------------------------------
# NIST OLIR pairs (800-53 -> ISO 27001:2022, CSF 2.0 -> ISO 27001:2022): id pairs only
# ---------------------------------------------------------------------------------------------

def read_pairs(path):
    """(source tail, target tail) id pairs of a mapping library, read line by line (no YAML library)."""
    pairs, src = [], None
    for line in open(path, encoding='utf-8'):
        m = re.match(r'\s*-?\s*source_requirement_urn:\s*(\S+)', line)
        if m:
            src = m.group(1).rsplit(':', 1)[-1]
            continue
        m = re.match(r'\s*target_requirement_urn:\s*(\S+)', line)
        if m and src is not None:
            pairs.append((src, m.group(1).rsplit(':', 1)[-1]))
            src = None
    return pairs


def iso_annex(raw):
    """'a.8.5' -> 'A.8.5'; clause numbers (no 'a.') -> None."""
    m = re.match(r'^a\.([5-8])\.(\d{1,2})$', raw.strip().lower())
    return 'A.%d.%d' % (int(m.group(1)), int(m.group(2))) if m else None


def load_olir(shared):
    """-> (iso -> [800-53 ids], iso -> [CSF ids]) from the NIST-provided pairs."""
    to_n53, to_csf = collections.defaultdict(list), collections.defaultdict(list)
    for s, t in read_pairs(os.path.join(shared, OLIR_N53_ISO)):
        iso, nid = iso_annex(t), n53_label(s.lower())
        if iso and nid and nid not in to_n53[iso]:
            to_n53[iso].append(nid)
    for s, t in read_pairs(os.path.join(shared, OLIR_CSF_ISO)):
        iso, sid = iso_annex(t), canon_csf(s)
        if iso and sid and sid not in to_csf[iso]:
            to_csf[iso].append(sid)
    return to_n53, to_csf


# ---------------------------------------------------------------------------------------------
# Team-written descriptions (PCI DSS, ISO 27001 Annex A, TSC)
# ---------------------------------------------------------------------------------------------

def read_descriptions(name, columns):
    """Rows of a description TSV (comment lines start with '#'); checks the column count."""
    path = os.path.join(DESCRIPTIONS, name)
    rows = []
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        cols = line.split('\t')
        if len(cols) < columns - 1 or len(cols) > columns:
            fail('%s:%d: expected %d tab-separated columns, got %d' % (name, n, columns, len(cols)))
        cols += [''] * (columns - len(cols))
        rows.append([clean(c) for c in cols])
    return rows


def nist_ids(field, n53, where):
    """Space-separated 800-53 ids of a description row, checked against the catalog."""
    ids = field.split()
    for i in ids:
        if i not in n53 or n53[i]['withdrawn']:
            fail('%s: %s is not a current 800-53 r5 control' % (where, i))
    return ids


def crosswalk_context(ids, n53):
    """Context text from crosswalked 800-53 controls."""
    return ' '.join(n53_summary(n53, i) for i in ids)


def build_pci(n53):
    """Rows of the PCI DSS catalog: requirements with three or more levels (8.4.2, 10.2.1.4, A1.1.2).

    Principal requirements (8) give the family; sections (8.4) give context to their
    requirements. 800-53 ids listed on a section apply to all its requirements."""
    rows = read_descriptions('pci_dss_v4.tsv', 4)
    seen = set()
    by_id = collections.OrderedDict()
    for cid, title, desc, nist in rows:
        if not PCI_ID_RE.match(cid):
            fail('pci_dss_v4.tsv: bad id %r' % cid)
        if cid in seen:
            fail('pci_dss_v4.tsv: duplicate id %s' % cid)
        seen.add(cid)
        if not title or not desc:
            fail('pci_dss_v4.tsv: %s needs a title and a description' % cid)
        by_id[cid] = {'title': title, 'desc': desc, 'nist': nist_ids(nist, n53, 'pci_dss_v4.tsv ' + cid)}
    out = []
    for cid, r in by_id.items():
        levels = cid.split('.')
        if len(levels) < 3:
            continue
        principal = levels[0]
        section = '.'.join(levels[:2])
        if principal not in by_id or section not in by_id:
            fail('pci_dss_v4.tsv: %s has no principal or section row' % cid)
        parent = '.'.join(levels[:-1]) if len(levels) > 3 else None
        nist = list(dict.fromkeys(r['nist'] + by_id[section]['nist'] + (by_id[parent]['nist'] if parent else [])))
        detail = by_id[section]['title'] + '. ' + by_id[section]['desc']
        if parent:
            detail = by_id[parent]['title'] + '. ' + by_id[parent]['desc'] + ' ' + detail
        out.append({'id': cid, 'family': by_id[principal]['title'], 'title': r['title'], 'boost': 1.0,
                    'body': r['desc'], 'detail': detail, 'context': crosswalk_context(nist, n53), 'nist': nist})
    return out


def build_iso(n53, subs, olir_n53, olir_csf):
    """Rows of the ISO 27001 Annex A catalog (93 controls)."""
    rows = read_descriptions('iso_27001.tsv', 4)
    by_id = collections.OrderedDict()
    for cid, title, desc, nist in rows:
        if not re.match(r'^A\.[5-8]\.\d{1,2}$', cid) or cid in by_id:
            fail('iso_27001.tsv: bad or duplicate id %r' % cid)
        by_id[cid] = (title, desc, nist_ids(nist, n53, 'iso_27001.tsv ' + cid))
    expected = ['A.%s.%d' % (t, i) for t in '5678' for i in range(1, ISO_COUNTS[t] + 1)]
    if sorted(by_id, key=natural_key) != expected:
        fail('iso_27001.tsv: ids differ from Annex A 2022: missing %s, extra %s'
             % (sorted(set(expected) - set(by_id)), sorted(set(by_id) - set(expected))))
    out = []
    for cid in expected:
        title, desc, own = by_id[cid]
        nist = list(dict.fromkeys(own + olir_n53.get(cid, [])))
        context = crosswalk_context(nist, n53)
        context += ' ' + ' '.join(subs[s]['statement'] for s in olir_csf.get(cid, []) if s in subs)
        out.append({'id': cid, 'family': ISO_THEMES[cid.split('.')[1]], 'title': title, 'boost': 1.0,
                    'body': desc, 'detail': '', 'context': context.strip(), 'nist': nist})
    return out


def tsc_family(cid):
    """Category name of a Trust Services Criterion."""
    for prefix, name in TSC_FAMILIES:
        if cid.startswith(prefix):
            return name
    fail('no TSC category for %s' % cid)


def build_tsc(n53):
    """Rows of the 2017 Trust Services Criteria catalog (61 criteria)."""
    rows = read_descriptions('tsc_2017.tsv', 4)
    by_id = collections.OrderedDict()
    for cid, title, desc, nist in rows:
        if cid in by_id:
            fail('tsc_2017.tsv: duplicate id %s' % cid)
        by_id[cid] = (title, desc, nist_ids(nist, n53, 'tsc_2017.tsv ' + cid))
    if sorted(by_id, key=natural_key) != sorted(TSC_IDS, key=natural_key):
        fail('tsc_2017.tsv: ids differ from the 61 criteria: missing %s, extra %s'
             % (sorted(set(TSC_IDS) - set(by_id)), sorted(set(by_id) - set(TSC_IDS))))
    out = []
    for cid in TSC_IDS:
        title, desc, nist = by_id[cid]
        out.append({'id': cid, 'family': tsc_family(cid), 'title': title, 'boost': 1.0,
                    'body': desc, 'detail': '', 'context': crosswalk_context(nist, n53), 'nist': nist})
    return out


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------

def render_catalog(key, title, rows):
    """Text of one catalog file."""
    s = SETTINGS[key]
    lines = ['#lakemark-catalog\t' + FORMAT_VERSION, '#catalog\t' + key, '#title\t' + title,
             '#weights\ttitle=%g\tbody=%g\tdetail=%g\tcontext=%g' % s['weights'],
             '#bm25\tk1=%g\tb=%g' % (s['k1'], s['b']), '#fields\t' + '\t'.join(FIELDS)]
    if key in SCOPES:
        lines.append('#scope\t' + '\t'.join('%s=%s' % (ids, ';'.join(phrases)) for ids, phrases in SCOPES[key]))
    for r in rows:
        values = [r['id'], r['family'], r['title'], '%g' % r['boost'], r['body'], r['detail'], r['context']]
        values = [clean(v) for v in values]
        if not values[0] or not values[1] or not values[2]:
            fail('%s: %s lacks an id, family or title' % (key, r['id']))
        lines.append('\t'.join(values))
    return '\n'.join(lines) + '\n'


# Weight of the crosswalk projection per catalog: a control gains PROJECTION x the best similarity
# among the 800-53 controls it is crosswalked to (the ten best 800-53 answers of the same text).
# Chosen with group-wise 5-fold cross-validation on the development sets (scripts/eval_mapping.sh).
PROJECTION = collections.OrderedDict([('nist_csf_v2', 0.1), ('pci_dss_v4', 0.1), ('iso_27001', 0.1),
                                      ('tsc_2017', 0.1)])


def render_crosswalk(catalogs):
    """The crosswalk file: each control's 800-53 ids, for the projection of a strong 800-53 match."""
    lines = ['#lakemark-crosswalk\t' + FORMAT_VERSION,
             '#weight\t' + '\t'.join('%s=%g' % kv for kv in PROJECTION.items()),
             '#fields\tcatalog\tid\tnist_800_53_r5 ids (space-separated)']
    for key in PROJECTION:
        for r in catalogs[key][1]:
            if r.get('nist'):
                lines.append('%s\t%s\t%s' % (key, r['id'], ' '.join(dict.fromkeys(r['nist']))))
    return '\n'.join(lines) + '\n'


def render_vocabulary():
    """The vocabulary file, validated: `kind<TAB>phrase<TAB>words` lines."""
    path = os.path.join(DESCRIPTIONS, 'vocabulary.tsv')
    out = ['#lakemark-vocabulary\t' + FORMAT_VERSION]
    for n, line in enumerate(open(path, encoding='utf-8'), 1):
        line = line.rstrip('\n')
        if not line.strip() or line.startswith('#'):
            continue
        cols = line.split('\t')
        if cols[0] == 'stop' and len(cols) == 2:
            out.append('stop\t' + clean(cols[1]))
            continue
        if len(cols) != 3 or cols[0] not in ('norm', 'expand') or not cols[1].strip():
            fail('vocabulary.tsv:%d: expected norm|expand<TAB>phrase<TAB>words or stop<TAB>words' % n)
        out.append('\t'.join([cols[0], clean(cols[1]), clean(cols[2])]))
    return '\n'.join(out) + '\n'


def write_outputs(files, check):
    """Writes (or with check, compares) {relative path: text}; returns the differing paths."""
    changed = []
    for rel, text in files.items():
        path = os.path.join(OUT, rel)
        old = open(path, encoding='utf-8').read() if os.path.exists(path) else None
        if old != text:
            changed.append(rel)
            if not check:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, 'w', encoding='utf-8', newline='\n') as f:
                    f.write(text)
    return changed


def license_files():
    """LICENSES/: notices for the bundled public inputs (texts from /usr/share/common-licenses)."""
    files = {}
    files['LICENSES/NIST-public-domain.txt'] = (
        'NIST SP 800-53 Rev. 5, NIST CSF 2.0 (OSCAL content) and the NIST OLIR informative-reference\n'
        'id pairs used in these catalogs are works of the United States Government (National Institute\n'
        'of Standards and Technology). They are not subject to copyright protection in the United States\n'
        'and are dedicated to the worldwide public domain under CC0 1.0 Universal (see CC0-1.0.txt) by\n'
        'the usnistgov/oscal-content project.\n')
    for name, dest in (('CC0-1.0', 'LICENSES/CC0-1.0.txt'), ('Apache-2.0', 'LICENSES/Apache-2.0.txt')):
        path = os.path.join('/usr/share/common-licenses', name)
        if not os.path.exists(path):
            fail('licence text %s not found' % path)
        files[dest] = open(path, encoding='utf-8').read()
    files['LICENSES/degenaro-example-mapping-NOTICE.txt'] = (
        'The CSF 2.0 -> SP 800-53 Rev. 5 crosswalk pairs were read from degenaro/example-mapping\n'
        '(https://github.com/degenaro/example-mapping, content/csf2_to_800-53_crosswalk.csv), licensed\n'
        'under the Apache License 2.0 (see Apache-2.0.txt). The underlying pairs are NIST informative\n'
        'references (public domain).\n')
    files['LICENSES/MITRE-ATTACK-NOTICE.txt'] = (
        'event_priors.tsv uses the ATT&CK technique -> NIST SP 800-53 Rev. 5 mappings of the MITRE Center for\n'
        'Threat-Informed Defense Mappings Explorer\n'
        '(https://github.com/center-for-threat-informed-defense/mappings-explorer), licensed under the Apache\n'
        'License 2.0 (see Apache-2.0.txt), and names ATT&CK technique ids. ATT&CK(R) is a registered trademark\n'
        'of The MITRE Corporation; (c) The MITRE Corporation, used under the ATT&CK Terms of Use.\n')
    return files


def provenance(shared, n53_version, counts, csf_pairs, olir_counts):
    """Text of PROVENANCE.md."""
    return """# Provenance of the bundled catalogs

Generated by `scripts/build_catalogs.py` (do not edit by hand). Inputs, by file:

- `nist_800_53_r5.tsv` ({n53} records; US public domain + CC0 1.0):
  usnistgov/oscal-content `nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog-min.json`
  @ a849dbca4649e0cc626fefdd46cf5232c8308f4c (content {ver}); the SP 800-53B LOW and MODERATE baseline
  profiles (`NIST_SP-800-53_rev5_{{LOW,MODERATE}}-baseline_profile-min.json`)
  @ 88bb8deeaa815f8914d68ea7e31a622ebbc1719d.
- `nist_csf_v2.tsv` ({csf} records; US public domain + CC0 1.0, crosswalk file Apache-2.0):
  usnistgov/oscal-content `src/nist.gov/CSF/v2.0/xml/NIST_CSF_v2.0_catalog.xml`
  @ 3b3cdee8f9f9f3e9f18dd70d89a58d6287ae433f; the NIST CSF 2.0 -> SP 800-53 r5 concept crosswalk
  ({csf_pairs} pairs) from degenaro/example-mapping `content/csf2_to_800-53_crosswalk.csv`
  @ 7f6627dca29daa33aed2855f55e577296b15a155.
- `pci_dss_v4.tsv` ({pci} records; team-written, NIST text public domain): requirement ids (facts)
  with titles, descriptions and an 800-53 crosswalk written by the Lakemark team
  (`scripts/catalog_descriptions/pci_dss_v4.tsv`). The AWS Config conformance packs name Config rules
  but no control ids, so no crosswalk could be derived from them.
- `iso_27001.tsv` ({iso} records; team-written, id pairs attributed to NIST, public domain):
  Annex A ids (facts) with titles and descriptions written by the Lakemark team
  (`scripts/catalog_descriptions/iso_27001.tsv`); the NIST OLIR SP 800-53 r5 -> ISO/IEC 27001:2022
  pairs ({olir_n53}, OLIR referenceId=155) and the NIST CSF 2.0 -> ISO/IEC 27001:2022
  informative-reference pairs ({olir_csf}), extracted as id pairs from intuitem/ciso-assistant-community
  `backend/library/libraries/mapping-nist-sp-800-53-rev5-to-iso27001-2022.yaml` @ 76a08260 and
  `mapping-nist-csf-2.0-to-iso27001-2022.yaml` @ 4ed30a8d (provider: NIST).
- `tsc_2017.tsv` ({tsc} records; team-written, NIST text public domain): criterion ids (facts) with
  titles, descriptions and an 800-53 crosswalk written by the Lakemark team
  (`scripts/catalog_descriptions/tsc_2017.tsv`).
- `vocabulary.tsv` (team-written): stop words, normalisations and query expansions
  (`scripts/catalog_descriptions/vocabulary.tsv`).
- `crosswalk.tsv` (id pairs; NIST public domain, team-written): the 800-53 ids of each CSF 2.0
  subcategory (the NIST CSF 2.0 -> SP 800-53 r5 crosswalk above), ISO Annex A control (NIST OLIR
  pairs plus the team's additions) and PCI / TSC requirement (the team's crosswalk), used to project
  a strong 800-53 match onto the other catalogs; the `#weight` header is the projection weight.
- `priors.tsv` (written by `scripts/build_priors.py`, not by this script): control ids only, counted
  over the label sets of the Prowler check mappings (Apache-2.0, prowler-cloud/prowler; no text is
  used), with the prior weights (`#alpha`), the weight of the top answer's lead (`#margin`), the
  family penalties (`#diversity`, `#diversity_reranked`, chosen with `scripts/eval_reranker.py`) and the
  similarity calibration knots (`#calibration`, fitted on the same Prowler-labelled texts by
  `scripts/fit_calibration.py`, kept in `scripts/calibration_knots.tsv`) of each catalog. The AWS
  Security Hub related-requirements lists (CC BY-SA 4.0 documentation) are used for evaluation only,
  not counted here.
- `event_priors.tsv` (written by `scripts/build_event_priors.py`, not by this script): per event type
  (CloudTrail event name, GuardDuty finding type, Okta event type, Kubernetes audit verb + resource)
  the controls to add when an event of that type is mapped. Sources: the team-written tables in
  `scripts/event_tables/` (CloudTrail, Okta and Kubernetes -> 800-53; GuardDuty finding type -> ATT&CK
  technique ids and 800-53); ATT&CK technique -> NIST SP 800-53 r5 pairs of MITRE CTID
  mappings-explorer (`mappings/nist_800_53/attack-16.1/nist_800_53-rev5/enterprise/...json`
  @ 2911162ca45dc34971f3a9fbc9892d1c7fa07b99, Apache-2.0; see `LICENSES/Apache-2.0.txt` and
  `LICENSES/MITRE-ATTACK-NOTICE.txt`); the other catalogs' rows are projected through `crosswalk.tsv`.
  Only ids are stored (control ids, ATT&CK technique ids in the `via` column).

How fields are derived:

- 800-53: the non-withdrawn controls and enhancements; `title` = control title, `body` = statement
  (items joined, labels dropped), `detail` = supplemental guidance, `context` = parent control title
  and statement for enhancements. Parameter placeholders are replaced by the parameter label, the
  choices of a selection joined by "or", or "organization-defined value". `family` = family title.
  `boost` = {low} for controls of the LOW baseline, {mod} for other MODERATE baseline controls, else 1.
- CSF 2.0: the active subcategories (those with implementation examples); `title` = statement,
  `body` = implementation examples, `detail` = category title, `context` = function, category and the
  titles of the 800-53 controls of the crosswalk. `family` = category title.
- PCI DSS v4, ISO/IEC 27001:2022 Annex A and the 2017 Trust Services Criteria: no text of the PCI SSC,
  ISO or AICPA publications is included. `title` and `body` are the team's own short descriptions;
  PCI `detail` holds the team's description of the enclosing section; `context` holds the titles and
  statements of crosswalked NIST 800-53 controls (ISO: NIST OLIR pairs plus the team's additions and
  the statements of CSF 2.0 subcategories mapped by NIST; PCI and TSC: the team's own crosswalk).
  Families: PCI principal requirements in the team's words, ISO themes, TSC categories.
- Nothing is derived from the SOC 2 -> ISO mapping of intuitem. No text of the evaluation sets is
  used; `priors.tsv` counts control ids of their labels (see above).

Licence texts and notices: `LICENSES/` (`NIST-public-domain.txt`, `CC0-1.0.txt`, `Apache-2.0.txt`,
`degenaro-example-mapping-NOTICE.txt`).

File format: UTF-8, one record per line, TAB-separated `id, family, title, boost, body, detail,
context`, after `#key<TAB>value` header lines (`#lakemark-catalog 1`, `#catalog`, `#title`,
`#weights` per indexed field, `#bm25` k1 and b); see `scripts/build_catalogs.py`.

The semantic re-ranker's weights and prototype vectors (`reranker/`, used only with the all-MiniLM-L6-v2 model)
have their own `reranker/PROVENANCE.md`: fitted on the Prowler labels (Apache-2.0) with the Apache-2.0 model.

Shared data folder used for this build: `{shared}` (relative layout `data/...`).
""".format(n53=counts['nist_800_53_r5'], ver=n53_version, csf=counts['nist_csf_v2'], csf_pairs=csf_pairs,
           pci=counts['pci_dss_v4'], iso=counts['iso_27001'], tsc=counts['tsc_2017'],
           olir_n53=olir_counts[0], olir_csf=olir_counts[1], low=BOOST_LOW_BASELINE, mod=BOOST_MODERATE_BASELINE,
           shared=os.path.basename(os.path.normpath(shared)))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--shared', help='shared folder (default ../shared next to the repository, else $LAKEMARK_SHARED)')
    ap.add_argument('--check', action='store_true', help='only compare with the committed files; exit 1 if stale')
    a = ap.parse_args(argv)
    shared = resolve_shared(a.shared)

    n53, n53_version = load_n53(shared)
    low = load_baseline(shared, N53_LOW)
    moderate = load_baseline(shared, N53_MODERATE)
    subs, _ = load_csf(shared)
    csf_xwalk = load_csf_xwalk(shared)
    olir_n53, olir_csf = load_olir(shared)

    catalogs = collections.OrderedDict()
    catalogs['nist_800_53_r5'] = ('NIST SP 800-53 Rev. 5', build_n53(n53, low, moderate))
    catalogs['nist_csf_v2'] = ('NIST Cybersecurity Framework 2.0', build_csf(subs, csf_xwalk, n53))
    catalogs['pci_dss_v4'] = ('PCI DSS v4', build_pci(n53))
    catalogs['iso_27001'] = ('ISO/IEC 27001:2022 Annex A', build_iso(n53, subs, olir_n53, olir_csf))
    catalogs['tsc_2017'] = ('AICPA Trust Services Criteria 2017', build_tsc(n53))

    files = collections.OrderedDict()
    counts = {}
    for key, (title, rows) in catalogs.items():
        files[key + '.tsv'] = render_catalog(key, title, rows)
        counts[key] = len(rows)
    files['vocabulary.tsv'] = render_vocabulary()
    files['crosswalk.tsv'] = render_crosswalk(catalogs)
    files.update(license_files())
    csf_pairs = sum(len(v) for v in csf_xwalk.values())
    olir_counts = (sum(len(v) for v in olir_n53.values()), sum(len(v) for v in olir_csf.values()))
    files['PROVENANCE.md'] = provenance(shared, n53_version, counts, csf_pairs, olir_counts)

    changed = write_outputs(files, a.check)
    for key, n in counts.items():
        print('%-16s %5d records' % (key, n))
    if a.check:
        if changed:
            print('stale: ' + ', '.join(changed))
            return 1
        print('catalogs are up to date')
        return 0
    placeholder = os.path.join(OUT, 'README.placeholder')
    if os.path.exists(placeholder):
        os.remove(placeholder)
    print('wrote %d files (%d changed) to %s' % (len(files), len(changed), os.path.relpath(OUT, REPO)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
