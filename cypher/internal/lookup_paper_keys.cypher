// Every stored paper's identities, so `kg update` can tell new papers from known ones.
// No parameters.
MATCH (p:Paper)
RETURN p.id AS id, p.arxiv_id AS arxiv_id, p.doi AS doi, p.title_key AS title_key, p.title AS title
