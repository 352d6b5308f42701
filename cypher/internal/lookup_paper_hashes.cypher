// The content hash stored on each of the given papers, to skip papers that have not changed.
// $ids: [paper id]
UNWIND $ids AS id
MATCH (p:Paper {id: id})
RETURN p.id AS id, p.content_hash AS hash
