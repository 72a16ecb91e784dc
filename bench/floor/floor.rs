//! `send(url, body)`: POST a form through the global `fetch` with a 5 s abort timer and read
//! the answer with `text()`: what plain JS does, written in Rust on the design's crates.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{AbortController, RequestInit};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &JsValue, init: &RequestInit) -> Result<Promise, JsValue>;
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Resolves to the answer's text.
#[wasm_bindgen]
pub fn send(url: String, body: String) -> Promise {
    future_to_promise(async move {
        let controller = AbortController::new()?;
        let init = RequestInit::new();
        init.set_method("POST");
        let headers = Object::new();
        Reflect::set(
            &headers,
            &"content-type".into(),
            &"application/x-www-form-urlencoded".into(),
        )?;
        init.set_headers(&headers);
        init.set_body(&JsValue::from_str(&body));
        init.set_signal(Some(&controller.signal()));
        let abort: Function = Reflect::get(&controller, &"abort".into())?.unchecked_into();
        let timer = set_timeout(&abort.bind0(&controller).unchecked_into(), 5000.0);
        let answer = JsFuture::from(global_fetch(&JsValue::from_str(&url), &init)?).await?;
        let text: Function = Reflect::get(&answer, &"text".into())?.unchecked_into();
        let text = JsFuture::from(text.call0(&answer)?.unchecked_into::<Promise>()).await;
        clear_timeout(&timer);
        text
    })
}
