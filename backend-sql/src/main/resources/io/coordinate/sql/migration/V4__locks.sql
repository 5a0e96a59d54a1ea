-- The hierarchical advisory locks of the CBOR-RPC API (io.coordinate.api.Locks), one row per
-- locked path, so every daemon on the database shares them. path is the path's key in the
-- canonical form of io.coordinate.api.locks.LockPath: hex digits and '/' only, compared byte-wise,
-- so the locks under a path are one range of the primary key. A row whose deadline has passed is
-- no lock; the calls that change locks delete such rows of their namespace as they go.
CREATE TABLE path_lock (
  namespace_id BIGINT NOT NULL REFERENCES namespace (id) ON DELETE CASCADE,
  path         ${bytes} NOT NULL,
  owner        VARCHAR(2000) NOT NULL,
  deadline_us  BIGINT NOT NULL,
  CONSTRAINT path_lock_key PRIMARY KEY (namespace_id, path)
);
CREATE INDEX path_lock_deadline ON path_lock (namespace_id, deadline_us);
