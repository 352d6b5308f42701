// All papers with the fields the HTML view shows (used by `kg export`).
MATCH (p:Paper)
RETURN p.id AS id, p.title AS title, p.date AS date, p.organization AS organization,
       p.upvotes AS upvotes
ORDER BY id
