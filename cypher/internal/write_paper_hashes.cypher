// Record the content hash of each paper written, once its links are written, so that a later
// run sends only new or changed papers. Runs last.
// $rows: [{id, hash}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.id})
SET p.content_hash = row.hash
