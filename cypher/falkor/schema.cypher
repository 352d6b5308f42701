// Indexes of the embedded FalkorDB store, created by FalkorStore.ensure_schema (an index
// that exists already is skipped). FalkorDB has no CREATE CONSTRAINT or IF NOT EXISTS:
// plain lookup indexes back the MERGEs of the write queries. Neo4j uses neo4j/schema.cypher.
CREATE INDEX FOR (p:Paper) ON (p.id);
CREATE INDEX FOR (e:Entity) ON (e.key);
CREATE INDEX FOR (r:Repository) ON (r.url);
CREATE INDEX FOR (a:Author) ON (a.key);
