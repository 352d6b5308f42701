// Neo4j 5 schema for kg's graph, created once by the Neo4j store (every statement is
// idempotent: IF NOT EXISTS). The embedded FalkorDB store never runs this file.
// Uniqueness constraints back the MERGEs of the write queries with an index each.
CREATE CONSTRAINT paper_id IF NOT EXISTS
FOR (p:Paper) REQUIRE p.id IS UNIQUE;

CREATE CONSTRAINT entity_key IF NOT EXISTS
FOR (e:Entity) REQUIRE e.key IS UNIQUE;

CREATE CONSTRAINT repository_url IF NOT EXISTS
FOR (r:Repository) REQUIRE r.url IS UNIQUE;

CREATE CONSTRAINT author_key IF NOT EXISTS
FOR (a:Author) REQUIRE a.key IS UNIQUE;

// Full-text search over every name an entity goes by:
//   CALL db.index.fulltext.queryNodes('entity_names', 'proximal policy') YIELD node, score
CREATE FULLTEXT INDEX entity_names IF NOT EXISTS
FOR (e:Entity) ON EACH [e.name, e.canonical, e.aliases];
