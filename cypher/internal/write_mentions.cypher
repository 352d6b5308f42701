// Link papers to the entities they mention, with the count and the evidence sentence.
// $rows: [{paper, key, count, evidence, surfaces, section, start, end, via, kind}]
// via: the components that linked the paper to the entity (acronym, catalog, override, ...).
// kind: named or concept, as this paper's mentions name the entity (#17).
UNWIND $rows AS row
MATCH (p:Paper {id: row.paper})
MATCH (e:Entity {key: row.key})
MERGE (p)-[m:MENTIONS]->(e)
SET m.count = row.count,
    m.evidence = row.evidence,
    m.surfaces = row.surfaces,
    m.section = row.section,
    m.start = row.start,
    m.end = row.end,
    m.via = row.via,
    m.kind = row.kind
