// Drop links a paper no longer has (after an extractor change), so a re-run leaves exactly
// what the current extraction found. Runs before the link writes.
// $rows: [{paper, keys}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})-[m:MENTIONS|PROPOSES]->(e:Entity)
WHERE NOT e.key IN row.keys
DELETE m
