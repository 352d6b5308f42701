// Every stored paper's id, so a write that replaces the graph finds the papers it lacks.
// No parameters.
MATCH (p:Paper)
RETURN p.id AS id
