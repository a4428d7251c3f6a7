-- seed.sql - the demo's external database: what an OutSystems 11 application
-- built on the ardoPostgreSQL connector typically left behind.  Two schemas
-- (sales, hr), columns of every type the two connectors map differently
-- (domain.md section 3), and rows holding values OutSystems cannot represent
-- (domain.md section 4): dates before 1900 and after 3000, more than 8
-- decimal places, integers beyond 2^31, NULLs.
--
-- Load with:  scripts/pgfixture.sh psql DIR -f demo/seed.sql
-- (psql as a superuser; creates database "demo" and reloads it from scratch).
--
-- Roles: osm_app (the application's login: CRUD on every table) and
-- osm_noprivs (may connect and use the schemas, no table privilege: the
-- privilege check must name its tables).  pgfixture.sh creates both with
-- the passwords it puts in DIR/pgpass; they are created here too, with the
-- same demo passwords, so the seed also loads into another throwaway server.
-- The server is loopback-only and thrown away: these passwords protect nothing.

\set ON_ERROR_STOP on
SET client_min_messages = warning;

DO $$
BEGIN
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osm_app') THEN
		CREATE ROLE osm_app LOGIN PASSWORD 'osm_app_demo';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'osm_noprivs') THEN
		CREATE ROLE osm_noprivs LOGIN PASSWORD 'osm_noprivs_demo';
	END IF;
END
$$;

-- Sessions of the demo database are the seed's own: start from scratch.
DO $$
BEGIN
	PERFORM pg_terminate_backend(pid) FROM pg_stat_activity
	 WHERE datname = 'demo' AND pid <> pg_backend_pid();
END
$$;
DROP DATABASE IF EXISTS demo;
CREATE DATABASE demo;
\connect demo
SET client_min_messages = warning;

-- citext ships with the server on Debian (postgresql-15) but is optional
-- elsewhere: the seed still loads without it (the column stays text).
DO $$
BEGIN
	IF EXISTS (SELECT FROM pg_available_extensions WHERE name = 'citext') THEN
		CREATE EXTENSION IF NOT EXISTS citext;
	END IF;
END
$$;

CREATE SCHEMA sales;
CREATE SCHEMA hr;

CREATE TYPE sales.order_status AS ENUM ('new', 'paid', 'shipped', 'cancelled');

-- ---------------------------------------------------------------- sales
CREATE TABLE sales.customers (
	id            serial PRIMARY KEY,               -- Integer, autonumber (both)
	name          varchar(100) NOT NULL,
	email         text,                             -- citext below when available
	country       char(2),
	vip           boolean,
	credit_limit  money,                            -- ardo: ignored; supported: Decimal
	created_at    timestamptz DEFAULT now(),        -- ardo: Date Time; supported: undocumented
	birth_date    date,
	tags          text[],                           -- ignored by both
	last_ip       inet,                             -- ignored by both
	profile       jsonb                             -- ardo: ignored; supported: undocumented
);
DO $$
BEGIN
	IF EXISTS (SELECT FROM pg_extension WHERE extname = 'citext') THEN
		ALTER TABLE sales.customers ALTER COLUMN email TYPE citext;
	END IF;
END
$$;

CREATE TABLE sales.products (
	sku           varchar(32) PRIMARY KEY,          -- Text key
	title         text NOT NULL,
	price         numeric(30,2),                    -- precision > 28: Text (both)
	unit_cost     numeric(10,2),                    -- Decimal(10,2) (both)
	weight_kg     real,                             -- ardo: Decimal; supported: Text
	volume_l      double precision,                 -- Text (both)
	stock         numeric(9,0),                     -- Integer
	barcode       numeric(18,0),                    -- Long Integer
	lifetime_sold numeric(28,0),                    -- Decimal
	active        bit(1)                            -- ardo: ignored; supported: Boolean
);

CREATE TABLE sales.orders (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- bigint identity key
	customer_id    integer NOT NULL REFERENCES sales.customers (id),
	status         sales.order_status NOT NULL DEFAULT 'new',        -- enum: ignored
	ordered_at     timestamp NOT NULL,
	delivered_at   timestamptz,
	amount         numeric(12,2),
	discount_rate  real,
	exchange_rate  numeric(16,10),                  -- scale > 8: Text (both)
	quantity       numeric,                         -- unconstrained: ardo Integer (truncates!)
	total_cents    bigint,                          -- Long Integer
	pickup_time    time,                            -- ardo: Time; supported: undocumented
	pickup_tz      timetz,                          -- ardo: Time; supported: undocumented
	lead_time      interval,                        -- ignored
	flags          bit(3),
	reference      uuid,                            -- Text
	invoice_xml    xml,                             -- ardo: ignored; supported: Text
	invoice_pdf    bytea,                           -- Binary Data
	meta           json                             -- undocumented / ignored
);

CREATE TABLE sales.order_lines (
	order_id   bigint NOT NULL REFERENCES sales.orders (id),
	line_no    smallint NOT NULL,
	sku        varchar(32) NOT NULL REFERENCES sales.products (sku),
	qty        integer NOT NULL,
	unit_price numeric(19,4),                       -- Decimal(19,4)
	PRIMARY KEY (order_id, line_no)
);

CREATE VIEW sales.order_totals AS
	SELECT o.id, o.customer_id, sum(l.qty * l.unit_price) AS total
	  FROM sales.orders o JOIN sales.order_lines l ON l.order_id = o.id
	 GROUP BY o.id, o.customer_id;

-- ---------------------------------------------------------------- hr
CREATE TABLE hr.departments (
	id      smallint PRIMARY KEY,
	name    text NOT NULL,
	budget  numeric                                 -- unconstrained numeric
);

CREATE TABLE hr.employees (
	id           bigserial PRIMARY KEY,             -- bigint key: ardo drops key status
	department   smallint REFERENCES hr.departments (id),
	badge        uuid NOT NULL DEFAULT md5(random()::text || clock_timestamp()::text)::uuid,
	full_name    varchar(200) NOT NULL,
	born_on      date,
	hired_on     date,
	salary       numeric(10,2),
	bonus_ratio  numeric(12,10),                    -- more than 8 decimal places
	rating       real,
	shift_start  time,
	shift_tz     timetz,
	last_login   timestamptz,
	skills       text[],
	photo        bytea,
	notes        xml,
	clearance    bit(1)
);

-- ---------------------------------------------------------------- rows
INSERT INTO sales.customers (name, email, country, vip, credit_limit, created_at, birth_date, tags, last_ip, profile) VALUES
	('Ana Lima',        'ana@example.com',   'PT', true,  1500.00,    '2019-03-01 10:00:00+00', '1984-07-12', '{gold,early}', '192.0.2.10', '{"newsletter": true}'),
	('Bruno Costa',     'BRUNO@Example.com', 'BR', false, 250.50,     '2021-11-20 18:30:00-03', '1899-12-31', '{}',          '198.51.100.7', '{"newsletter": false, "lang": "pt-BR"}'),
	('Chen Wei',        NULL,                'CN', NULL,  NULL,       NULL,                     NULL,          NULL,          NULL,           NULL),
	('Dora Explorer',   'dora@example.com',  'ES', true,  99999999.99, '2024-02-29 23:59:59+01', '3001-01-01', '{vip}',       '2001:db8::1',  '{"notes": "birth date typed wrong"}');

INSERT INTO sales.products (sku, title, price, unit_cost, weight_kg, volume_l, stock, barcode, lifetime_sold, active) VALUES
	('SKU-001', 'Teapot',       19.99,                      7.25,  0.85,  1.2,   140,       5601234567890,        123456789012345678901234567, B'1'),
	('SKU-002', 'Cup (x6)',     12345678901234567890123.45, 3.10,  1.5,   0.9,   999999999, 999999999999999999,   0,                           B'1'),
	('SKU-003', 'Saucer',       NULL,                       NULL,  NULL,  NULL,  NULL,      NULL,                 NULL,                        NULL),
	('SKU-004', 'Discontinued', 0.01,                       0.00,  3.4028235e38, 1e300, -5,        -999999999999999999,  -1,                          B'0');

INSERT INTO sales.orders (customer_id, status, ordered_at, delivered_at, amount, discount_rate, exchange_rate, quantity, total_cents, pickup_time, pickup_tz, lead_time, flags, reference, invoice_xml, invoice_pdf, meta) VALUES
	(1, 'paid',      '2023-05-04 09:15:00', '2023-05-06 14:00:00+01', 120.50, 0.05, 1.0847000000, 3,             12050,           '09:30', '09:30+01', '2 days',  B'101', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '<invoice n="1"/>', '\x255044462d312e34', '{"channel": "web"}'),
	(2, 'shipped',   '1850-01-01 00:00:00', NULL,                     0.10,   0.333333, 5.1234567891, 2.75,          3000000000,      '23:59:59.999', '00:00+14', '1 year 2 months', B'011', '6fa459ea-ee8a-3ca4-894e-db77e160355e', '<invoice n="2"><line/></invoice>', NULL, '[1, 2, 3]'),
	(3, 'new',       '3100-12-31 23:59:59', '3100-12-31 23:59:59+00', 99999999.99, NULL, 0.0000000001, 4294967296,  9223372036854775807, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(4, 'cancelled', '2024-02-29 12:00:00', NULL,                     NULL,   1e-7, NULL,          -2147483649.5, -2147483649,     '00:00', '12:00-12', '-1 day', B'000', '00000000-0000-0000-0000-000000000000', NULL, '\x', 'null');

INSERT INTO sales.order_lines (order_id, line_no, sku, qty, unit_price) VALUES
	(1, 1, 'SKU-001', 2, 19.9900),
	(1, 2, 'SKU-002', 1, 80.5200),
	(2, 1, 'SKU-003', 2147483647, 0.0001),
	(3, 1, 'SKU-004', 1, 123456789012345.1234);

INSERT INTO hr.departments (id, name, budget) VALUES
	(1, 'Operations', 1250000),
	(2, 'Engineering', 3000000000.123456789),    -- > 2^31 and > 8 decimals in an unconstrained numeric
	(3, 'Archive', NULL);

INSERT INTO hr.employees (department, full_name, born_on, hired_on, salary, bonus_ratio, rating, shift_start, shift_tz, last_login, skills, photo, notes, clearance) VALUES
	(1, 'Eva Rocha',     '1990-01-15', '2015-06-01', 3200.00,  0.1250000000, 4.5,  '08:00', '08:00+00', '2026-11-20 07:58:00+00', '{forklift,first-aid}', '\x89504e47', '<note>ok</note>', B'1'),
	(2, 'Filipe Nunes',  '1875-03-03', '1899-12-31', 99999999.99, 0.1234567891, 3.14159, '22:00', '22:00-05', '1900-01-01 00:00:00+00', '{}', NULL, NULL, B'0'),
	(2, 'Grace Hopper',  '1906-12-09', '3000-12-31', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
	(NULL, 'Ho Nguyen',  NULL, NULL, 0.01, 0.0000000001, -1, '00:00:00.5', '23:59:59+14', '2999-12-31 23:59:59+00', '{night}', '\x', '<note/>', B'1');

-- More rows, so scans and samples have something to page through.
INSERT INTO sales.customers (name, email, country, vip, credit_limit, created_at, birth_date)
	SELECT 'Customer ' || g, 'c' || g || '@example.com', 'PT', g % 7 = 0, (g * 10)::numeric::money,
	       timestamptz '2020-01-01 00:00:00+00' + g * interval '1 hour',
	       date '1960-01-01' + g
	  FROM generate_series(5, 500) AS g;

-- ---------------------------------------------------------------- privileges
GRANT CONNECT ON DATABASE demo TO osm_app, osm_noprivs;
GRANT USAGE ON SCHEMA sales, hr TO osm_app, osm_noprivs;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA sales, hr TO osm_app;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA sales, hr TO osm_app;
-- osm_noprivs: deliberately no table privilege at all.

ANALYZE;
