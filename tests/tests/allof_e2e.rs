//! The `allOf` shapes of `tests/definitions/allof.yaml` compile to the types they should,
//! and those types read and write the JSON the definition describes.

use connectorkit_tests::allof::{
    Address, Clashing, Conflicting, Money, Order, OrderId, StoredOrder,
};
use serde_json::json;

#[test]
fn a_reference_with_annotations_is_the_referenced_type() {
    let order: Order = serde_json::from_value(json!({
        "id": "ord_1",
        "total": {"amount": 100, "currency": "EUR"},
        "shipping": {"street": "Main St 1", "city": "Ghent"},
        "note": {"gift": true},
        "code": "ord_2"
    }))
    .unwrap();
    // `id` is the `OrderId` alias (a string), `total` the `Money` struct.
    let id: &OrderId = &order.id;
    assert_eq!(id, "ord_1");
    assert_eq!(
        order.total,
        Money {
            amount: 100,
            currency: "EUR".into()
        }
    );
    let shipping: Option<Address> = order.shipping.clone();
    assert_eq!(shipping.unwrap().city.as_deref(), Some("Ghent"));
    // Annotations only: any JSON.
    assert_eq!(order.note, Some(json!({"gift": true})));
    assert_eq!(order.code.as_deref(), Some("ord_2"));
}

#[test]
fn a_nullable_reference_reads_null_as_none() {
    let order: Order = serde_json::from_value(json!({
        "id": "ord_1",
        "total": {"amount": 5, "currency": "USD"},
        "shipping": null
    }))
    .unwrap();
    assert_eq!(order.shipping, None);
    // Written back without the absent fields.
    assert_eq!(
        serde_json::to_value(&order).unwrap(),
        json!({"id": "ord_1", "total": {"amount": 5, "currency": "USD"}})
    );
}

#[test]
fn object_members_merge_into_one_struct() {
    let text = json!({
        "id": "ord_9",
        "total": {"amount": 1, "currency": "EUR"},
        "created": "2026-12-07T04:00:00Z",
        "revision": 3
    });
    let stored: StoredOrder = serde_json::from_value(text.clone()).unwrap();
    assert_eq!(stored.id, "ord_9");
    assert_eq!(stored.revision, Some(3));
    assert_eq!(serde_json::to_value(&stored).unwrap(), text);
    // `created` comes from the second member and is required there.
    let missing = serde_json::from_value::<StoredOrder>(json!({
        "id": "ord_9",
        "total": {"amount": 1, "currency": "EUR"}
    }));
    assert!(missing.is_err());
}

#[test]
fn conflicting_members_fall_back_to_json() {
    // A string member and an object member: any JSON value.
    let c: Conflicting = serde_json::from_value(json!("ord_1")).unwrap();
    assert_eq!(c, json!("ord_1"));
    // One property typed two ways: that property is any JSON, the others stay typed.
    let c: Clashing = serde_json::from_value(json!({"city": 9000, "zip": "9000"})).unwrap();
    assert_eq!(c.city, Some(json!(9000)));
    assert_eq!(c.zip.as_deref(), Some("9000"));
}

#[test]
fn an_object_property_in_two_members_is_both() {
    let body = json!({
        "min_instances": 2,
        "metrics": {"cpu_percent": 75, "requests_per_second": 40},
        "owner": null
    });
    let s: connectorkit_tests::allof::ServiceScaling =
        serde_json::from_value(body.clone()).unwrap();
    let m = s.metrics.as_ref().expect("metrics");
    assert_eq!((m.cpu_percent, m.requests_per_second), (Some(75), Some(40)));
    assert_eq!(serde_json::to_value(&s).unwrap(), body);
    // Nullable in both members: `null` is allowed, and both members' properties are there.
    let s: connectorkit_tests::allof::ServiceScaling =
        serde_json::from_value(json!({"owner": null})).unwrap();
    assert!(s.owner.is_none());
    let s: connectorkit_tests::allof::ServiceScaling =
        serde_json::from_value(json!({"owner": {"id": 1, "login": "ann"}})).unwrap();
    let owner = s.owner.expect("owner");
    assert_eq!((owner.id, owner.login.as_deref()), (Some(1), Some("ann")));
}
