//! Password hashing.
use app::auth::password::{hash, verify};

#[tokio::test]
async fn hashes_are_salted_argon2id_and_verify_only_the_right_password() {
    let first = hash("sesame-street-42".into()).await.expect("hash");
    let second = hash("sesame-street-42".into()).await.expect("hash");
    assert!(first.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{first}");
    assert_ne!(first, second, "each hash has its own salt");
    assert!(verify("sesame-street-42".into(), Some(first.clone()))
        .await
        .expect("verify"));
    assert!(!verify("sesame-street-43".into(), Some(first)).await.expect("verify"));
    // No account: the decoy is checked, and the answer is no even for its own password.
    assert!(!verify("anything".into(), None).await.expect("verify"));
}
