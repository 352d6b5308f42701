// The relationship types in use, for `kg stats` (each then counted alone: fast).
CALL db.relationshipTypes() YIELD relationshipType
RETURN relationshipType
ORDER BY relationshipType
