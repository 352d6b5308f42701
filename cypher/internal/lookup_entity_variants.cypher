// The VARIANT_OF links of an entity, both ways, with the rule that made each.
// $key: entity key
MATCH (e:Entity {key: $key})-[r:VARIANT_OF]->(o:Entity)
RETURN 'variant of' AS link, o.name AS name, o.key AS key, r.reason AS reason
UNION ALL
MATCH (o:Entity)-[r:VARIANT_OF]->(e:Entity {key: $key})
RETURN 'has variant' AS link, o.name AS name, o.key AS key, r.reason AS reason
