// Upsert code repositories and project pages and link them to the papers that cite them.
// $rows: [{paper, url, kind, host, evidence}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MERGE (r:Repository {url: row.url})
SET r.kind = row.kind, r.host = row.host
MERGE (p)-[c:HAS_CODE]->(r)
SET c.evidence = row.evidence
