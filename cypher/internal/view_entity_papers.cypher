// The papers that name each of the given entities (mention, propose or are affiliated with
// it): one step of the ego view of a big graph.
// $keys: entity keys
UNWIND $keys AS key
MATCH (e:Entity {key: key})<-[r:MENTIONS|PROPOSES|AFFILIATED_WITH]-(p:Paper)
RETURN key, collect(DISTINCT p.id) AS papers
