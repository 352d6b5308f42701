// Entities two papers both mention, with each paper's evidence sentence; the most specific
// first (idf, kg/specificity.py: `specific` ones are those that join papers in the overlap).
// Both kinds by default, as overlapping_pairs, whose pairs it explains.
// @param a string  id of the first paper
// @param b string  id of the second paper
// @param kind string = all  named (proper names), concept (generic phrases) or all
MATCH (p:Paper {id: $a})-[ma:MENTIONS]->(e:Entity)<-[mb:MENTIONS]-(q:Paper {id: $b})
WHERE p <> q AND ($kind = 'all' OR coalesce(e.kind, 'named') = $kind)
RETURN e.name AS entity, e.type AS type, ma.evidence AS evidence_a, mb.evidence AS evidence_b,
       e.idf AS idf, coalesce(e.specific, true) AS specific
ORDER BY specific DESC, idf DESC, type, entity
