-- proof_crafted.sql - objects whose names try to break out of quoting, for
-- tests/e2e/proof_readonly.sh: quotes, semicolons, backslashes, spaces,
-- dots, mixed case and a "; DROP TABLE x; --" payload, as schema, table and
-- column names, with values the type probes must find (dates out of range,
-- more than 8 decimal places, integers beyond 2^31).  public.x and the
-- payload schema's x are the canaries the payload would drop.
-- Load into the demo database after demo/seed.sql, as a superuser.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
CREATE TABLE public.x (id integer PRIMARY KEY);
INSERT INTO public.x VALUES (1);
GRANT SELECT, INSERT, UPDATE, DELETE ON public.x TO osm_app;
CREATE SCHEMA """; DROP TABLE x; --";
CREATE SCHEMA "Mixed.Case Sch\ema'";
CREATE TABLE """; DROP TABLE x; --".x (id integer PRIMARY KEY);
INSERT INTO """; DROP TABLE x; --".x VALUES (1);
CREATE TABLE """; DROP TABLE x; --"."it's ""t""; --" (
	"id""; DROP TABLE x; --" integer PRIMARY KEY,
	"Amount.Net" numeric(20,12),
	"back\slash" timestamp,
	"it's" text,
	"MiXeD Case" bigint
);
INSERT INTO """; DROP TABLE x; --"."it's ""t""; --" VALUES
	(1, 1.123456789012, '1850-01-01', 'a', 5000000000),
	(2, 2.5, '2020-01-01', NULL, 1);
CREATE TABLE "Mixed.Case Sch\ema'"."a.b Tab\le" (
	"K" bigint PRIMARY KEY,
	"v;al" numeric(10,2),
	"d""q" date
);
INSERT INTO "Mixed.Case Sch\ema'"."a.b Tab\le" VALUES (1, 1.5, '3100-01-01');
GRANT USAGE ON SCHEMA """; DROP TABLE x; --", "Mixed.Case Sch\ema'" TO osm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA """; DROP TABLE x; --", "Mixed.Case Sch\ema'" TO osm_app;
CREATE SCHEMA "we""ird;Sch\.X";
CREATE TABLE "we""ird;Sch\.X"."T;""ab\.le" ("Id" integer PRIMARY KEY, "n;""\" numeric(12,10), "t" timestamptz);
INSERT INTO "we""ird;Sch\.X"."T;""ab\.le" VALUES (1, 1.0123456789, '1800-01-01');
GRANT USAGE ON SCHEMA "we""ird;Sch\.X" TO osm_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "we""ird;Sch\.X" TO osm_app;
