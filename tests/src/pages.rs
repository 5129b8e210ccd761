//! Helpers for tests of the HTML pages over plain HTTP: a browser's cookies and the
//! CSRF token a form carries.

use crate::{PASSWORD, TestApp};

/// A signed-in UI session: the cookies to send and the CSRF token for forms.
#[derive(Clone, Debug)]
pub struct UiSession {
    pub cookies: String,
    pub csrf: String,
}

/// The CSRF cookie and the form token of a freshly rendered page.
pub async fn csrf(app: &TestApp, path: &str) -> (String, String) {
    let response = app.get(path, None).await;
    let cookie = response.cookies().find(|c| c.name() == "sl_csrf").map(|c| c.value().to_owned()).unwrap();
    let html = response.text().await.unwrap();
    (cookie, form_token(&html))
}

/// The CSRF token in a page's first form.
pub fn form_token(html: &str) -> String {
    html.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned()
}

impl TestApp {
    /// Logs in through the login form, as a browser would.
    pub async fn ui_login(&self, email: &str) -> UiSession {
        let (nonce, token) = csrf(self, "/login").await;
        let response = self
            .client
            .post(self.url("/login"))
            .header("cookie", format!("sl_csrf={nonce}"))
            .form(&[("csrf_token", token.as_str()), ("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let session = response.cookies().find(|c| c.name() == "sl_session").unwrap().value().to_owned();
        UiSession { cookies: format!("sl_session={session}; sl_csrf={nonce}"), csrf: token }
    }

    pub async fn ui_get(&self, path: &str, ui: &UiSession) -> reqwest::Response {
        self.client.get(self.url(path)).header("cookie", &ui.cookies).send().await.unwrap()
    }

    /// Uploads `file` as the multipart field `file`, with the session's CSRF token.
    pub async fn ui_upload(&self, path: &str, ui: &UiSession, file: Vec<u8>) -> reqwest::Response {
        let form = reqwest::multipart::Form::new()
            .text("csrf_token", ui.csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(file).file_name("upload.csv"));
        self.client.post(self.url(path)).header("cookie", &ui.cookies).multipart(form).send().await.unwrap()
    }

    /// Posts a form with the session's cookies and CSRF token.
    pub async fn ui_post(&self, path: &str, ui: &UiSession, fields: &[(&str, &str)]) -> reqwest::Response {
        let mut form: Vec<(&str, &str)> = vec![("csrf_token", ui.csrf.as_str())];
        form.extend_from_slice(fields);
        self.client.post(self.url(path)).header("cookie", &ui.cookies).form(&form).send().await.unwrap()
    }
}
