#!/usr/bin/env python3
"""proof_pglog.py - decide whether a PostgreSQL server log (log_statement=all,
log_line_prefix '%m [%p] %u@%d %a ', as scripts/pgfixture.sh writes it) holds
anything but reads.

    proof_pglog.py [--qualified] LOGFILE [FIRST_LINE]

Reads the log from FIRST_LINE (1-based, default 1), tokenises every logged
statement (simple query "statement:" and extended protocol "execute NAME:"),
splits multi-statement strings at top-level semicolons, and judges each one
against an allow list:

  SELECT/WITH/VALUES/TABLE   unless they call a function that writes or locks
                             (nextval, setval, pg_advisory*, lo_*, ...), use
                             SELECT INTO, FOR UPDATE/SHARE, or nest a
                             data-modifying statement (WITH x AS (DELETE ...))
  SHOW, EXPLAIN (not ANALYZE), FETCH/MOVE/CLOSE, DECLARE ... CURSOR FOR a read
  BEGIN/START TRANSACTION    READ ONLY, or plain in a session that made
                             default_transaction_read_only on; never READ WRITE
  COMMIT/END/ROLLBACK/ABORT, SAVEPOINT/RELEASE
  SET/RESET of session settings (never SET ROLE/SESSION AUTHORIZATION, never
                             transaction_read_only/default_transaction_read_only
                             off, never READ WRITE characteristics);
  set_config() likewise      (read-only settings may only be turned on)
  COPY ... TO STDOUT         (COPY FROM and COPY TO a file are refused)
  DISCARD, DEALLOCATE

Everything else is refused (INSERT, UPDATE, DELETE, MERGE, CREATE, ALTER, DROP,
TRUNCATE, GRANT, REVOKE, LOCK, VACUUM, ANALYZE, CALL, DO, NOTIFY, ...).

--qualified also holds osmigrate's own sessions (application_name osmigrate)
to what a database with a hostile search_path requires:
  - every statement runs inside a START TRANSACTION/BEGIN ... READ ONLY, and
    the first thing each such transaction does is
    pg_catalog.set_config('search_path', '', ...);
  - every function call is pg_catalog.f(...), every cast ::pg_catalog.type,
    every operator OPERATOR(pg_catalog.op); no bare operator (= < || ~ ...),
    no IN, LIKE, BETWEEN, IS DISTINCT FROM, simple CASE x WHEN, nor typed
    literal (DATE '...'), which all resolve names through the search_path.
Also reported: every ERROR/FATAL entry (a probe that failed on a crafted name
would show up there).  Prints one line per offending statement and a summary
('statements: N in M sessions; refused: R; errors: E'); exits 1 when a statement was
refused, 2 when there was no refused statement but an ERROR/FATAL entry, 0
otherwise.  The log's own text never leaves this process except as
diagnostics.
"""
import re
import sys

PREFIX = re.compile(
    r'^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\S*)@(\S*) (.*?)'
    r'(LOG|ERROR|FATAL|PANIC|DETAIL|HINT|STATEMENT|CONTEXT|WARNING|NOTICE|INFO|DEBUG\d?|LOCATION):  (.*)$')
STMT = re.compile(r'^(?:statement|execute [^:]*): (.*)$', re.S)

WRITE_FUNCS = re.compile(
    r'^(nextval|setval|lo_\w+|lowrite|loread|pg_advisory\w*|pg_try_advisory\w*|'
    r'pg_terminate_backend|pg_cancel_backend|pg_reload_conf|pg_rotate_logfile\w*|'
    r'txid_current|txid_current_if_assigned|pg_current_xact_id|pg_switch_wal|'
    r'pg_create_\w+|pg_drop_replication_slot|pg_replication_\w+|pg_notify|dblink\w*|'
    r'pg_file_\w+|pg_stat_reset\w*|pg_promote|pg_import_system_collations|'
    r'pg_logical_emit_message|pg_log_backend_memory_contexts|pg_backup_\w+|'
    r'pg_start_backup|pg_stop_backup|pg_wal_replay_\w+|pg_truncate\w*|'
    r'pg_copy_\w+_replication_slot|pg_sequence_last_value_set)$', re.I)
# Settings that make a session read-only: only "on" may be sent.
RO_SETTINGS = ('default_transaction_read_only', 'transaction_read_only')
TRUE_WORDS = ('on', 'true', 'yes', '1', 't', 'y')


def tokenize(sql):
    """Words (upper-cased), quoted identifiers ('ID', text), literals
    ('STR', text), and punctuation.  Comments are dropped."""
    toks = []
    i, n = 0, len(sql)
    while i < n:
        c = sql[i]
        if c.isspace():
            i += 1
        elif sql.startswith('--', i):
            j = sql.find('\n', i)
            i = n if j < 0 else j + 1
        elif sql.startswith('/*', i):
            depth, i = 1, i + 2
            while i < n and depth:
                if sql.startswith('/*', i):
                    depth, i = depth + 1, i + 2
                elif sql.startswith('*/', i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c in 'eE' and i + 1 < n and sql[i + 1] == "'":
            j, buf = i + 2, []
            while j < n:
                if sql[j] == '\\' and j + 1 < n:
                    buf.append(sql[j + 1]); j += 2
                elif sql[j] == "'" and sql.startswith("''", j):
                    buf.append("'"); j += 2
                elif sql[j] == "'":
                    break
                else:
                    buf.append(sql[j]); j += 1
            toks.append(('STR', ''.join(buf))); i = j + 1
        elif c == "'":
            j, buf = i + 1, []
            while j < n:
                if sql.startswith("''", j):
                    buf.append("'"); j += 2
                elif sql[j] == "'":
                    break
                else:
                    buf.append(sql[j]); j += 1
            toks.append(('STR', ''.join(buf))); i = j + 1
        elif c == '"':
            j, buf = i + 1, []
            while j < n:
                if sql.startswith('""', j):
                    buf.append('"'); j += 2
                elif sql[j] == '"':
                    break
                else:
                    buf.append(sql[j]); j += 1
            toks.append(('ID', ''.join(buf))); i = j + 1
        elif c == '$':
            m = re.match(r'\$(\d+)', sql[i:])
            if m:
                toks.append(('PARAM', m.group(0))); i += len(m.group(0)); continue
            m = re.match(r'\$([A-Za-z_]\w*)?\$', sql[i:])
            if m:
                tag = m.group(0)
                j = sql.find(tag, i + len(tag))
                j = n if j < 0 else j
                toks.append(('STR', sql[i + len(tag):j])); i = j + len(tag)
            else:
                toks.append(('P', c)); i += 1
        elif c.isalpha() or c == '_':
            m = re.match(r'[A-Za-z_][\w$]*', sql[i:])
            toks.append(('W', m.group(0).upper())); i += len(m.group(0))
        elif c.isdigit():
            m = re.match(r'[\d.eE+-]+', sql[i:])
            toks.append(('NUM', m.group(0))); i += len(m.group(0))
        else:
            toks.append(('P', c)); i += 1
    return toks


def split_statements(toks):
    out, cur, depth = [], [], 0
    for t in toks:
        if t == ('P', '('):
            depth += 1
        elif t == ('P', ')'):
            depth -= 1
        if t == ('P', ';') and depth <= 0:
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(t)
    if cur:
        out.append(cur)
    return out


def words(st):
    return [t[1] for t in st if t[0] == 'W']


def truthy(tok):
    return tok is not None and tok[0] in ('W', 'STR', 'NUM', 'ID') and str(tok[1]).lower() in TRUE_WORDS


def judge_read(st, params):
    """A query: refuse write functions, SELECT INTO, row locks, nested DML."""
    w = words(st)
    for k, t in enumerate(st):
        if t[0] == 'W' and k + 1 < len(st) and st[k + 1] == ('P', '('):
            name = t[1].lower()
            if WRITE_FUNCS.match(name):
                return 'calls %s()' % name
            if name == 'set_config':
                why = judge_set_config(st[k + 2:], params)
                if why:
                    return why
    for bad in ('INSERT', 'UPDATE', 'DELETE', 'MERGE', 'INTO', 'TRUNCATE', 'COPY'):
        if bad in w:
            return 'contains %s' % bad
    for k, x in enumerate(w[:-1]):
        if x == 'FOR' and w[k + 1] in ('UPDATE', 'SHARE', 'NO', 'KEY'):
            return 'row lock FOR %s' % w[k + 1]
    return None


def value_of(tok, params):
    if tok is None:
        return None
    if tok[0] == 'PARAM':
        return ('STR', params.get(tok[1], ''))
    return tok


def judge_set_config(args, params):
    # set_config('name', 'value', is_local): first two plain arguments.
    vals = [value_of(t, params) for t in args if t[0] in ('STR', 'PARAM', 'W', 'NUM')][:2]
    if len(vals) < 2:
        return None
    name = str(vals[0][1]).lower()
    if name in ('role', 'session_authorization'):
        return 'set_config(%s) changes the role' % name
    if name in RO_SETTINGS and not truthy(vals[1]):
        return 'set_config(%s, %s) turns read-only off' % (name, vals[1][1])
    return None


def judge(st, session, params):
    w = words(st)
    if not w:
        return None
    head = w[0]
    if head in ('SELECT', 'WITH', 'VALUES', 'TABLE'):
        why = judge_read(st, params)
        if why is None:
            for k, t in enumerate(st):
                if t[0] == 'W' and t[1] == 'SET_CONFIG':
                    vals = [value_of(x, params) for x in st[k + 2:] if x[0] in ('STR', 'PARAM')][:2]
                    if len(vals) == 2 and str(vals[0][1]).lower() == 'default_transaction_read_only' \
                            and truthy(vals[1]):
                        session['ro'] = True
        return why
    if head in ('SHOW', 'FETCH', 'MOVE', 'CLOSE', 'COMMIT', 'END', 'ROLLBACK', 'ABORT',
                'SAVEPOINT', 'RELEASE', 'DISCARD', 'DEALLOCATE'):
        return None
    if head == 'EXPLAIN':
        if 'ANALYZE' in w[:4] or 'ANALYSE' in w[:4]:
            return 'EXPLAIN ANALYZE executes the statement'
        return judge_read(st, params)
    if head == 'DECLARE':
        if 'FOR' not in w:
            return 'DECLARE without a query'
        k = w.index('FOR')
        if 'UPDATE' in w[k:]:
            return 'cursor FOR UPDATE'
        return judge_read(st, params)
    if head in ('BEGIN', 'START'):
        text = ' '.join(w)
        if 'READ WRITE' in text:
            return 'transaction READ WRITE'
        if 'READ ONLY' in text or session.get('ro'):
            return None
        return 'transaction not READ ONLY (and the session never set default_transaction_read_only on)'
    if head in ('SET', 'RESET'):
        rest = w[1:]
        if rest[:1] in (['SESSION'], ['LOCAL']):
            rest = rest[1:]
        if not rest:
            return None
        if rest[0] in ('ROLE', 'AUTHORIZATION') or rest[:2] == ['SESSION', 'AUTHORIZATION'] \
                or rest[:1] == ['AUTHORIZATION']:
            return 'changes the role'
        if 'READ' in rest and 'WRITE' in rest:
            return 'READ WRITE characteristics'
        if head == 'SET' and rest[0].lower() in RO_SETTINGS:
            # SET x = on / TO on / 'on'
            vals = [t for t in st[2:] if t[0] in ('W', 'STR', 'NUM') and t[1] not in ('TO', 'SESSION', 'LOCAL')]
            vals = [t for t in vals if str(t[1]).lower() not in RO_SETTINGS]
            if not vals or not truthy(vals[0]):
                return '%s turned off' % rest[0].lower()
            if rest[0].lower() == 'default_transaction_read_only':
                session['ro'] = True
            return None
        if head == 'RESET' and (rest[0].lower() in RO_SETTINGS or rest[0] == 'ALL'):
            session['ro'] = False
            return None
        return None
    if head == 'COPY':
        if 'FROM' in w and 'TO' not in w:
            return 'COPY FROM writes'
        if 'TO' not in w:
            return 'COPY without TO'
        k = len(w) - 1 - w[::-1].index('TO')
        if w[k + 1:k + 2] != ['STDOUT']:
            return 'COPY TO a file'
        return None
    return '%s is not a read' % head


# --qualified: osmigrate's sessions, statement by statement.
CALL_KEYWORDS = {
    'COALESCE', 'NULLIF', 'GREATEST', 'LEAST', 'EXISTS', 'ANY', 'ALL', 'SOME', 'ARRAY',
    'ROW', 'VALUES', 'FILTER', 'OVER', 'OPERATOR', 'AND', 'OR', 'NOT', 'WHERE', 'ON',
    'AS', 'SELECT', 'FROM', 'JOIN', 'USING', 'BY', 'THEN', 'ELSE', 'WHEN', 'CASE', 'WITH',
    'RECURSIVE', 'UNION', 'INTERSECT', 'EXCEPT', 'LIMIT', 'OFFSET', 'DISTINCT', 'ROWS',
    'LATERAL', 'IS', 'ONLY', 'IN', 'END',
}
TYPE_WORDS = {
    'DATE', 'TIMESTAMP', 'TIMESTAMPTZ', 'TIME', 'TIMETZ', 'INTERVAL', 'TEXT', 'NUMERIC',
    'INT', 'INT2', 'INT4', 'INT8', 'INTEGER', 'BIGINT', 'SMALLINT', 'BOOLEAN', 'BOOL',
    'NAME', 'OID', 'REGCLASS', 'REGTYPE', 'CHAR', 'VARCHAR', 'FLOAT4', 'FLOAT8', 'REAL',
}
OPERATOR_CHARS = set('<>=!~|+-/%^&#@?*')
WORD_OPERATORS = {'IN', 'LIKE', 'ILIKE', 'SIMILAR', 'BETWEEN'}


def qualified_after(st, k):
    """st[k:] starts with PG_CATALOG '.'"""
    return k + 1 < len(st) and st[k] == ('W', 'PG_CATALOG') and st[k + 1] == ('P', '.')


def unqualified(st):
    """Why st resolves a name through the search_path, or None."""
    k, n = 0, len(st)
    while k < n:
        t = st[k]
        nxt = st[k + 1] if k + 1 < n else None
        prev = st[k - 1] if k else None
        if t == ('W', 'OPERATOR') and nxt == ('P', '('):
            if not qualified_after(st, k + 2):
                return 'OPERATOR() not in pg_catalog'
            j = k + 4
            while j < n and st[j] != ('P', ')'):
                j += 1
            k = j + 1
            continue
        if t[0] == 'W' and nxt == ('P', '(') and t[1] not in CALL_KEYWORDS:
            if not (k >= 2 and st[k - 1] == ('P', '.') and st[k - 2] == ('W', 'PG_CATALOG')):
                if prev not in (('W', 'AS'), ('W', 'RECURSIVE'), ('W', 'WITH')):
                    return 'unqualified function %s()' % t[1].lower()
        if t == ('P', ':') and nxt == ('P', ':'):
            if not qualified_after(st, k + 2):
                return 'cast to an unqualified type'
            k += 2
            continue
        if t[0] == 'P' and t[1] in OPERATOR_CHARS:
            if not (t[1] == '*' and prev in (('W', 'SELECT'), ('P', '('), ('P', '.'), ('P', ','))):
                return 'unqualified operator %s' % t[1]
        if t[0] == 'W' and t[1] in WORD_OPERATORS:
            return '%s resolves = or LIKE through the search_path' % t[1]
        if t == ('W', 'IS') and nxt is not None and nxt[1] in ('DISTINCT', 'NOT') and \
                (nxt[1] == 'DISTINCT' or (k + 2 < n and st[k + 2] == ('W', 'DISTINCT'))):
            return 'IS DISTINCT FROM resolves = through the search_path'
        if t == ('W', 'CASE') and nxt != ('W', 'WHEN'):
            return 'simple CASE resolves = through the search_path'
        if t[0] == 'W' and t[1] in TYPE_WORDS and nxt is not None and nxt[0] == 'STR' and \
                prev != ('P', '.'):
            return 'typed literal %s \'...\'' % t[1]
        k += 1
    return None


def is_pin(st, params):
    for k, t in enumerate(st):
        if t == ('W', 'SET_CONFIG') and k + 1 < len(st) and st[k + 1] == ('P', '('):
            vals = [value_of(x, params) for x in st[k + 2:] if x[0] in ('STR', 'PARAM')][:2]
            return len(vals) == 2 and str(vals[0][1]).lower() == 'search_path' and vals[1][1] == ''
    return False


def judge_qualified(st, session, params):
    w = words(st)
    if not w:
        return None
    head = w[0]
    if head in ('BEGIN', 'START'):
        if 'READ ONLY' not in ' '.join(w):
            return 'transaction not explicitly READ ONLY'
        session['tx'], session['tx_pinned'] = True, False
        return None
    if head in ('COMMIT', 'END', 'ROLLBACK', 'ABORT'):
        session['tx'] = False
        return None
    if not session.get('tx'):
        return 'statement outside an explicit READ ONLY transaction'
    if is_pin(st, params):
        session['tx_pinned'] = True
    elif not session.get('tx_pinned'):
        return 'statement before the transaction pinned search_path'
    return unqualified(st)


def parse_params(detail):
    """'parameters: $1 = 'x', $2 = NULL' -> {'$1': 'x', ...}"""
    out = {}
    for m in re.finditer(r"(\$\d+) = (?:'((?:[^']|'')*)'|NULL)", detail):
        out[m.group(1)] = (m.group(2) or '').replace("''", "'")
    return out


def entries(lines):
    cur = None
    for line in lines:
        m = PREFIX.match(line)
        if m:
            if cur:
                yield cur
            cur = {'pid': m.group(1), 'level': m.group(5), 'msg': m.group(6),
                   'app': m.group(4).strip()}
        elif cur is not None and (line.startswith('\t') or not line.strip()):
            cur['msg'] += '\n' + line[1:] if line.startswith('\t') else '\n'
        elif cur is not None:
            cur['msg'] += '\n' + line
    if cur:
        yield cur


def main():
    args = sys.argv[1:]
    qualified = bool(args) and args[0] == '--qualified'
    if qualified:
        args = args[1:]
    if not args:
        sys.stderr.write('usage: proof_pglog.py [--qualified] LOGFILE [FIRST_LINE]\n')
        return 64
    first = int(args[1]) if len(args) > 1 else 1
    with open(args[0], encoding='utf-8', errors='replace') as f:
        lines = f.read().split('\n')[first - 1:]
    ents = list(entries(lines))
    sessions, strict, refused, errors, count, own = {}, {}, 0, 0, 0, 0
    pids = set()
    for k, e in enumerate(ents):
        if e['level'] in ('ERROR', 'FATAL', 'PANIC'):
            errors += 1
            print('server %s [%s]: %s' % (e['level'], e['pid'], e['msg'].split('\n')[0][:300]))
            continue
        if e['level'] != 'LOG':
            continue
        m = STMT.match(e['msg'])
        if not m:
            continue
        sql = m.group(1)
        params = {}
        if k + 1 < len(ents) and ents[k + 1]['pid'] == e['pid'] and ents[k + 1]['level'] == 'DETAIL':
            params = parse_params(ents[k + 1]['msg'])
        session = sessions.setdefault(e['pid'], {})
        pids.add(e['pid'])
        for st in split_statements(tokenize(sql)):
            count += 1
            why = judge(st, session, params)
            if not why and qualified and e['app'] == 'osmigrate':
                own += 1
                why = judge_qualified(st, strict.setdefault(e['pid'], {}), params)
            if why:
                refused += 1
                print('REFUSED [%s] %s: %s' % (e['pid'], why, ' '.join(sql.split())[:300]))
    if qualified and not own:
        refused += 1
        print('REFUSED: no statement of an osmigrate session in the log')
    print('statements: %d in %d sessions; refused: %d; errors: %d' % (count, len(pids), refused, errors))
    if refused:
        return 1
    if errors:
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
