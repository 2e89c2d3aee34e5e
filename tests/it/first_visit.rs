//! The first visit and what a browser may keep (#20). The landing and login pages live in the main
//! WebAssembly module; every other page's view is in its area's chunk (`cargo leptos build
//! --split`), which the server names in the page (`<link rel="preload">`) when it renders it.
//! Files named by their content are kept for a year; the WebAssembly's script, named before the
//! chunk loader's name is written into it, is revalidated instead.

use crate::common;

use common::{Backend, TestApp};

/// The `/pkg/…` addresses a page links, in order.
fn pkg_links(html: &str) -> Vec<String> {
    html.split('"')
        .filter(|s| s.starts_with("/pkg/"))
        .map(str::to_string)
        .collect()
}

/// A chunk of lazily loaded pages: `split_<area>…` or `chunk_<n>…`.
fn is_chunk(path: &str) -> bool {
    let name = path.trim_start_matches("/pkg/");
    (name.starts_with("split_") || name.starts_with("chunk_")) && name.ends_with(".wasm")
}

async fn get(
    client: &reqwest::Client,
    app: &TestApp,
    path: &str,
    encoding: &str,
) -> reqwest::Response {
    client
        .get(app.url(path))
        .header("accept-encoding", encoding)
        .send()
        .await
        .expect("request")
}

fn header(res: &reqwest::Response, name: &str) -> String {
    res.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pages_name_their_chunks_and_files_are_cached_as_their_names_allow() {
    let Some(app) = TestApp::spawn(Backend::Sqlite).await else {
        return;
    };
    let client = app.client();

    // The login page is in the main module: it names the script and the WebAssembly, no chunk.
    let login = app.page(&client, "/login").await.text().await.unwrap();
    let links = pkg_links(&login);
    let script = links
        .iter()
        .find(|p| p.starts_with("/pkg/partner-center.") && p.ends_with(".js"))
        .expect("the script is linked")
        .clone();
    let wasm = links
        .iter()
        .find(|p| p.starts_with("/pkg/partner-center.") && p.ends_with(".wasm"))
        .expect("the WebAssembly is preloaded")
        .clone();
    assert!(
        !links.iter().any(|p| is_chunk(p)),
        "the login page needs no chunk: {links:?}"
    );

    // A page of another area names the chunks its view is in.
    let help = app.page(&client, "/help").await.text().await.unwrap();
    let chunks: Vec<String> = pkg_links(&help)
        .into_iter()
        .filter(|p| is_chunk(p))
        .collect();
    assert!(
        chunks
            .iter()
            .any(|p| p.starts_with("/pkg/split_account_area")),
        "/help preloads its area's chunk: {chunks:?}"
    );
    // Grouped by area: a page needs a handful of files, not a hundred.
    assert!(chunks.len() <= 12, "{} chunks for /help", chunks.len());

    // The script imports the chunk loader by its content-hashed name.
    let body = get(&client, &app, &script, "identity")
        .await
        .text()
        .await
        .unwrap();
    let loader = body
        .split(['"', '\''])
        .find_map(|s| {
            let name = s.trim_start_matches("./");
            (name.starts_with("__wasm_split.") && name.ends_with(".js"))
                .then(|| format!("/pkg/{name}"))
        })
        .expect("the script imports the chunk loader");

    // Named by content, so kept for a year: the WebAssembly, the loader, the chunks.
    for path in std::iter::once(&wasm).chain([&loader]).chain(&chunks) {
        let res = get(&client, &app, path, "br, gzip").await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(
            header(&res, "cache-control"),
            "public, max-age=31536000, immutable",
            "{path}"
        );
        assert_eq!(
            header(&res, "content-encoding"),
            "br",
            "{path} travels compressed"
        );
        if path.ends_with(".wasm") {
            assert_eq!(header(&res, "content-type"), "application/wasm", "{path}");
        }
    }

    // The script is revalidated: asked again with its date, it answers 304 and no body.
    let res = get(&client, &app, &script, "br, gzip").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        header(&res, "cache-control"),
        "public, max-age=0, must-revalidate"
    );
    let modified = header(&res, "last-modified");
    assert!(!modified.is_empty(), "the script carries its date");
    let again = client
        .get(app.url(&script))
        .header("if-modified-since", &modified)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // A file that does not exist is not kept.
    let res = get(&client, &app, "/pkg/split_nothing.wasm", "br").await;
    assert_eq!(res.status(), 404);
    assert_ne!(
        header(&res, "cache-control"),
        "public, max-age=31536000, immutable"
    );
}
