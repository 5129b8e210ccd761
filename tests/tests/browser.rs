//! A real browser (headless Debian chromium) logs in and switches language on a phone-sized
//! screen. CI sets SEASONLINK_REQUIRE_BROWSER=1, so there this test cannot be skipped.

use fantoccini::Locator;

use seasonlink::domain::account::Role;
use seasonlink_tests::browser::Browser;
use seasonlink_tests::{PASSWORD, TestApp};

async fn html_lang(browser: &Browser) -> String {
    browser.client.find(Locator::Css("html")).await.unwrap().attr("lang").await.unwrap().unwrap_or_default()
}

/// On a 360-px phone screen, no element reaches past the right edge.
async fn fits_the_screen(browser: &Browser) {
    let width = browser.client.execute("return document.documentElement.clientWidth;", vec![]).await.unwrap();
    assert!(width.as_i64().unwrap() <= 400, "the screen is phone-sized: {width}");
    let overflowing = browser
        .client
        .execute(
            "const w = document.documentElement.clientWidth;
             return [...document.querySelectorAll('body *')]
               .filter(e => e.getBoundingClientRect().right > w + 0.5)
               .map(e => e.tagName + '.' + e.className);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(overflowing, serde_json::json!([]), "elements wider than the phone screen");
}

#[actix_web::test]
async fn browser_login_and_language_switch() {
    let Some(browser) = Browser::start().await else {
        return;
    };
    let app = TestApp::spawn().await;
    let email = app.create_user(Role::Worker, None).await;
    let c = &browser.client;

    c.goto(&app.url("/login")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "en", "Accept-Language en-US");
    browser.screenshot("login-en").await;
    fits_the_screen(&browser).await;

    c.find(Locator::Css("a[data-lang='vi']")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("html[lang='vi']")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login");
    assert_eq!(c.find(Locator::Css("h1")).await.unwrap().text().await.unwrap(), "Đăng nhập");
    browser.screenshot("login-vi").await;

    c.goto(&app.url("/")).await.unwrap();
    assert_eq!(html_lang(&browser).await, "vi", "the switch is remembered");
    c.goto(&app.url("/login")).await.unwrap();

    c.find(Locator::Css("input[name='email']")).await.unwrap().send_keys(&email).await.unwrap();
    c.find(Locator::Css("input[name='password']")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("#login-form button[type='submit']")).await.unwrap().click().await.unwrap();
    let role = c.wait().for_element(Locator::Css(".role[data-role='worker']")).await.unwrap();
    assert_eq!(role.text().await.unwrap(), "Người lao động");
    assert_eq!(c.current_url().await.unwrap().path(), "/home");
    fits_the_screen(&browser).await;
    browser.screenshot("home-worker-vi").await;

    c.find(Locator::Css("a[data-lang='zh-CN']")).await.unwrap().click().await.unwrap();
    let role = c.wait().for_element(Locator::Css("html[lang='zh-CN'] .role")).await.unwrap();
    assert_eq!(role.text().await.unwrap(), "劳动者");

    c.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#login-form")).await.unwrap();
    c.goto(&app.url("/home")).await.unwrap();
    c.wait().for_element(Locator::Css("#login-form")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/login", "logged out");

    browser.close().await;
}
