<?php
// A SabreDAV 1.8 CalDAV server built as Baïkal 0.2-0.4 builds it: SQLite (PDO) backends for principals,
// calendars and users, auth + ACL + CalDAV plugins, served under /dav.php/. Configured through the
// environment: SABREDAV_DB (SQLite file), SABREDAV_REALM, SABREDAV_AUTH ('basic' or 'digest').

// SabreDAV 1.8 predates PHP 8: its deprecation notices must not end up inside XML answers.
error_reporting(E_ALL & ~E_DEPRECATED & ~E_STRICT);
ini_set('display_errors', '0');
ini_set('log_errors', '1');
date_default_timezone_set('UTC');

require_once 'Sabre/autoload.php';

/**
 * Basic auth checked against the Digest hash in the users table, as Baïkal's PDOBasicAuth does: the
 * table stores md5(username:realm:password) only, so Basic and Digest share one users table.
 */
class CalsyncPdoBasicAuth extends \Sabre\DAV\Auth\Backend\AbstractBasic {
    private $pdo;
    private $realm;

    public function __construct(\PDO $pdo, $realm) {
        $this->pdo = $pdo;
        $this->realm = $realm;
    }

    protected function validateUserPass($username, $password) {
        $statement = $this->pdo->prepare('SELECT digesta1 FROM users WHERE username = ?');
        $statement->execute([$username]);
        $digesta1 = $statement->fetchColumn();
        return $digesta1 !== false && hash_equals($digesta1, md5($username . ':' . $this->realm . ':' . $password));
    }
}

$pdo = new \PDO('sqlite:' . getenv('SABREDAV_DB'));
$pdo->setAttribute(\PDO::ATTR_ERRMODE, \PDO::ERRMODE_EXCEPTION);
// php -S serves one request at a time, but the helper's admin script may write meanwhile.
$pdo->exec('PRAGMA busy_timeout = 5000');

$realm = getenv('SABREDAV_REALM');
$authBackend = getenv('SABREDAV_AUTH') === 'digest' ? new \Sabre\DAV\Auth\Backend\PDO($pdo) : new CalsyncPdoBasicAuth($pdo, $realm);
$principalBackend = new \Sabre\DAVACL\PrincipalBackend\PDO($pdo);
$calendarBackend = new \Sabre\CalDAV\Backend\PDO($pdo);

$server = new \Sabre\DAV\Server([
    new \Sabre\CalDAV\Principal\Collection($principalBackend),
    new \Sabre\CalDAV\CalendarRootNode($principalBackend, $calendarBackend),
]);
$server->setBaseUri('/dav.php/');
$server->addPlugin(new \Sabre\DAV\Auth\Plugin($authBackend, $realm));
$server->addPlugin(new \Sabre\DAVACL\Plugin());
$server->addPlugin(new \Sabre\CalDAV\Plugin());
// SabreDAV 1.8 has no sync-collection (Sabre\DAV\Sync\Plugin arrived in 2.0); clients get getctag only.
$server->exec();
