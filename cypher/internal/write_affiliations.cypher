// Link papers to the organisation shown on their Daily Papers entry.
// $rows: [{paper, key}]
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MATCH (o:Entity {key: row.key})
MERGE (p)-[:AFFILIATED_WITH]->(o)
