// Title and date of the given papers (the paper lists a view embeds).
// $ids: paper ids
UNWIND $ids AS id
MATCH (p:Paper {id: id})
RETURN p.id AS id, p.title AS title, p.date AS date, p.organization AS organization,
       p.upvotes AS upvotes
