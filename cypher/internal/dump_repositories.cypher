// Every paper-to-repository link with the repository's kind and the evidence sentence
// (read back by `kg push` and `kg export neo4j-import`).
MATCH (p:Paper)-[c:HAS_CODE]->(r:Repository)
RETURN p.id AS paper, r.url AS url, r.kind AS kind, c.evidence AS evidence
ORDER BY paper, url
