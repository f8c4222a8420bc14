-- Tiny fixture for the harness's own smoke tests: one table with two rows, including a dollar-quoted body.
CREATE TABLE harness_smoke (id integer PRIMARY KEY, label text NOT NULL);
INSERT INTO harness_smoke (id, label) VALUES (1, 'one'), (2, 'two; with a semicolon');
CREATE FUNCTION harness_smoke_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM harness_smoke; $$;
