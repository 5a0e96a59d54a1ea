-- One lease per transaction, the ceiling for the backend's get_work: claim the first available
-- unit in lease order, skipping units other clients hold.
UPDATE coordinate_pgbench.work_unit SET status = 2, attempt_count = attempt_count + 1
 WHERE id = (SELECT id FROM coordinate_pgbench.work_unit
             WHERE spec_id = 1 AND status = 1 AND (not_before_us IS NULL OR not_before_us <= 0)
             ORDER BY spec_id, status, priority DESC, unit_key
             LIMIT 1 FOR UPDATE SKIP LOCKED);
