// Every stored paper with all its properties (its `record` rebuilds the kg.models.Paper), in
// the order the corpus gave them, so `kg build` and `kg update` merge new papers after them
// as one build of all the inputs would (#16). content_hash is missing on a paper whose write
// was interrupted. No parameters.
MATCH (p:Paper)
RETURN properties(p) AS props
ORDER BY p.input_order, p.id
