//! A partner's HTTP receiver, started by a test: a real server on a port of its own that
//! records every request it gets and answers as the test tells it (accept, fail, hang, or
//! answer with an endless body).

use std::collections::HashMap;
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, HttpRequest, HttpResponse, HttpServer, web};

/// How the receiver answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// 200 with a short body.
    Accept,
    /// 500.
    Fail,
    /// Waits this long, then 200: longer than the sender's timeout.
    Hang(Duration),
    /// 200 with a 50 MB body, produced only as fast as the sender reads it.
    Flood,
    /// 302 to the cloud metadata address.
    Redirect,
}

/// One request the receiver got.
#[derive(Clone, Debug)]
pub struct Hit {
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
    /// What it answered: 0 when it answered after the sender's timeout.
    pub answered: u16,
}

impl Hit {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }

    pub fn header(&self, name: &str) -> &str {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str).unwrap_or_default()
    }
}

struct Shared {
    mode: Mutex<Mode>,
    hits: Mutex<Vec<Hit>>,
    /// Bytes of flood bodies produced: what the sender read, and what the sockets' buffers
    /// held when it stopped reading.
    flooded: AtomicUsize,
}

pub struct Receiver {
    pub port: u16,
    shared: Arc<Shared>,
}

pub const FLOOD_BYTES: usize = 50 * 1024 * 1024;

impl Receiver {
    /// A receiver with a port reserved but not listening yet: deliveries are refused until
    /// [`Receiver::listen`].
    pub fn reserve() -> Receiver {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let shared =
            Shared { mode: Mutex::new(Mode::Accept), hits: Mutex::default(), flooded: AtomicUsize::new(0) };
        Receiver { port, shared: Arc::new(shared) }
    }

    /// A receiver listening now.
    pub async fn start() -> Receiver {
        let receiver = Receiver::reserve();
        receiver.listen();
        receiver
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Starts listening on the reserved port.
    pub fn listen(&self) {
        let shared = self.shared.clone();
        let server = HttpServer::new(move || {
            App::new().app_data(web::Data::from(shared.clone())).default_service(web::to(answer))
        })
        .workers(1)
        .bind(("127.0.0.1", self.port))
        .unwrap()
        .run();
        actix_web::rt::spawn(server);
    }

    pub fn set(&self, mode: Mode) {
        *self.shared.mode.lock().unwrap() = mode;
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.shared.hits.lock().unwrap().clone()
    }

    /// The requests it accepted (answered 200).
    pub fn accepted(&self) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.answered == 200).collect()
    }

    pub fn flooded_bytes(&self) -> usize {
        self.shared.flooded.load(Ordering::SeqCst)
    }
}

async fn answer(req: HttpRequest, body: web::Bytes, shared: web::Data<Shared>) -> HttpResponse {
    let mode = *shared.mode.lock().unwrap();
    let headers = req
        .headers()
        .iter()
        .map(|(name, value)| (name.as_str().to_owned(), value.to_str().unwrap_or_default().to_owned()))
        .collect();
    let answered = match mode {
        Mode::Fail => 500,
        // The sender has given up by the time the answer comes.
        Mode::Hang(_) => 0,
        Mode::Redirect => 302,
        Mode::Accept | Mode::Flood => 200,
    };
    shared.hits.lock().unwrap().push(Hit { headers, body: body.to_vec(), answered });
    match mode {
        Mode::Accept => HttpResponse::Ok().body("ok"),
        Mode::Fail => HttpResponse::InternalServerError().body("down for maintenance"),
        Mode::Redirect => HttpResponse::Found()
            .insert_header(("location", "http://169.254.169.254/latest/meta-data/"))
            .finish(),
        Mode::Hang(wait) => {
            actix_web::rt::time::sleep(wait).await;
            HttpResponse::Ok().body("late")
        }
        Mode::Flood => {
            let shared = shared.into_inner();
            let chunks = futures::stream::unfold(0usize, move |sent| {
                let shared = shared.clone();
                async move {
                    (sent < FLOOD_BYTES).then(|| {
                        shared.flooded.fetch_add(64 * 1024, Ordering::SeqCst);
                        (Ok::<_, actix_web::Error>(web::Bytes::from(vec![b'x'; 64 * 1024])), sent + 64 * 1024)
                    })
                }
            });
            HttpResponse::Ok().streaming(chunks)
        }
    }
}
