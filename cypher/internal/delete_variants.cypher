// Remove VARIANT_OF links the graph no longer has, so a grown corpus keeps none a clean
// build would not make. Runs after the variant writes.
// $rows: [{key, parent}]
UNWIND $rows AS row
MATCH (v:Entity {key: row.key})-[r:VARIANT_OF]->(e:Entity {key: row.parent})
DELETE r
