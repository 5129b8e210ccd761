//! Which methods a path is served on, for a 405's `Allow` header. The API's come from its
//! OpenAPI document (every served API route is described there: see `api::api_routes!`), the
//! pages' from [`pages::ROUTES`](crate::pages::ROUTES), and the API reference's own are
//! listed here. The index is built once.

use std::sync::LazyLock;

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use utoipa::OpenApi;

/// The generated API reference: the document and the interactive page.
const REFERENCE: &[(&str, &str)] =
    &[("GET", "/api/openapi.json"), ("GET", "/api/docs"), ("GET", "/api/docs/{_:.*}")];

/// The order methods are listed in.
const ORDER: [Method; 6] =
    [Method::GET, Method::HEAD, Method::POST, Method::PUT, Method::PATCH, Method::DELETE];

static INDEX: LazyLock<Vec<(ResourceDef, Method)>> = LazyLock::new(|| {
    let mut routes: Vec<(String, String)> = Vec::new();
    let doc = serde_json::to_value(crate::api::ApiDoc::openapi()).unwrap_or_default();
    if let Some(paths) = doc["paths"].as_object() {
        for (path, item) in paths {
            for method in item.as_object().into_iter().flat_map(|ops| ops.keys()) {
                routes.push((method.to_uppercase(), path.clone()));
            }
        }
    }
    routes.extend(
        crate::pages::ROUTES.iter().chain(REFERENCE).map(|(m, p)| ((*m).to_owned(), (*p).to_owned())),
    );
    routes
        .into_iter()
        .filter_map(|(method, path)| {
            // A path item's other members (`parameters`, `summary`) are not methods.
            let method = ORDER.into_iter().find(|m| m.as_str() == method)?;
            Some((ResourceDef::new(path), method))
        })
        .collect()
});

/// The methods `path` is served on, in a fixed order; empty for a path nothing serves. HEAD
/// is served wherever GET is ([`head_as_get`](crate::head_as_get)).
pub fn allowed(path: &str) -> Vec<Method> {
    let mut matching: Vec<&Method> =
        INDEX.iter().filter(|(pattern, _)| pattern.is_match(path)).map(|(_, method)| method).collect();
    if matching.contains(&&Method::GET) {
        matching.push(&Method::HEAD);
    }
    ORDER.into_iter().filter(|method| matching.contains(&method)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_of_api_pages_and_reference() {
        use Method as M;
        assert_eq!(allowed("/api/v1/vacancies"), [M::GET, M::HEAD, M::POST]);
        assert_eq!(allowed("/api/v1/vacancies/abc"), [M::GET, M::HEAD, M::PATCH]);
        assert_eq!(allowed("/login"), [M::GET, M::HEAD, M::POST]);
        assert_eq!(allowed("/logout"), [M::POST]);
        // Two patterns match: the print view and the actions.
        assert_eq!(allowed("/placements/abc/contract"), [M::GET, M::HEAD, M::POST]);
        assert_eq!(allowed("/api/docs/index.html"), [M::GET, M::HEAD]);
        assert_eq!(allowed("/healthz"), [M::GET, M::HEAD]);
        assert!(allowed("/api/v1/nothing-here").is_empty());
        assert!(allowed("/nothing-here").is_empty());
    }
}
