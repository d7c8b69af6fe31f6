-- `make bench` growth data (issue 9 item 6): 100,000 rules (each with its first version) and
-- 1,000,000 audit rows, inserted set-wise in PostgreSQL. Run by the database owner on a migrated,
-- otherwise empty database. Rows satisfy every constraint and trigger of the schema; the audit
-- rows carry well-formed (SHA-256 hex) but synthetic chain hashes: the audit list does not verify
-- the chain, and `fraudgov verify` on this database would rightly report the chain as broken.
-- Rule ids are md5('rule' || n)::uuid so that audit rows can point at them.
BEGIN;
INSERT INTO rules (rule_id, rule_name, description, rule_type, status, current_version, version, created_by,
                   created_by_issuer, created_at, updated_at)
SELECT md5('rule' || g)::uuid, 'seeded rule ' || g, NULL,
       (ARRAY['ALLOWLIST','BLOCKLIST','AUTH','MONITORING'])[1 + g % 4], 'DRAFT', 1, 1, 'seed', 'https://seed/',
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second',
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
FROM generate_series(1, 100000) AS g;
INSERT INTO rule_versions (rule_version_id, rule_id, version, condition_tree, normalized_tree, scope, priority, action,
                           status, created_by, created_by_issuer, created_at)
SELECT md5('version' || g)::uuid, md5('rule' || g)::uuid, 1,
       json_build_object('field', 'amount', 'op', 'GT', 'value', g),
       jsonb_build_object('field', 'amount', 'op', 'GT', 'value', g),
       '{}'::jsonb, 100, 'DECLINE', 'DRAFT', 'seed', 'https://seed/',
       timestamptz '2026-01-01 00:00:00+00' + g * interval '1 second'
FROM generate_series(1, 100000) AS g;
-- Appended after whatever the migration wrote (the standard fields' audit rows), chained onto
-- its last row_hash.
INSERT INTO audit_log (seq, audit_id, entity_type, entity_id, action, old_value, new_value, performed_by,
                       performed_by_issuer, performed_at, request_id, prev_hash, row_hash)
SELECT last.seq + g, md5('audit' || g)::uuid, 'RULE', md5('rule' || (1 + g % 100000))::uuid,
       (ARRAY['CREATE','UPDATE','SUBMIT','APPROVE'])[1 + g % 4], NULL,
       jsonb_build_object('n', g), 'user' || (g % 20), 'https://seed/',
       timestamptz '2026-01-01 00:00:00+00' + g * interval '100 milliseconds', NULL,
       CASE WHEN g = 1 THEN last.row_hash ELSE encode(sha256(('seed' || (g - 1))::bytea), 'hex') END,
       encode(sha256(('seed' || g)::bytea), 'hex')
FROM (SELECT COALESCE(MAX(seq), 0) AS seq,
             COALESCE((SELECT row_hash FROM audit_log ORDER BY seq DESC LIMIT 1), repeat('0', 64)) AS row_hash
      FROM audit_log) AS last,
     generate_series(1, 1000000) AS g;
COMMIT;
ANALYZE;
